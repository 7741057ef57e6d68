package dev.orch.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** A real git repository with a working tree, the "remote" of the source tests (JGit, file://). */
final class TestRepo implements AutoCloseable {
    private final Path dir;
    private final Git git;

    TestRepo(Path dir) throws GitAPIException {
        this.dir = dir;
        this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    }

    String url() {
        return dir.toUri().toString();
    }

    Path dir() {
        return dir;
    }

    TestRepo write(String path, String content) throws IOException {
        Path f = dir.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return this;
    }

    TestRepo delete(String path) throws IOException {
        Files.delete(dir.resolve(path));
        return this;
    }

    String commit(String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        PersonIdent me = new PersonIdent("Dev Eloper", "dev@example.com");
        return git.commit().setMessage(message).setAuthor(me).setCommitter(me).setAllowEmpty(true).call().name();
    }

    Git git() {
        return git;
    }

    /** A Deployment manifest that the loader accepts. */
    static String manifest(String name, int port, String greeting) {
        return """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  route:
                    port: %d
                  template:
                    command: ["/usr/bin/python3"]
                    env:
                      - name: GREETING
                        value: "%s"
                """.formatted(name, port, greeting);
    }

    @Override
    public void close() {
        git.close();
    }
}
