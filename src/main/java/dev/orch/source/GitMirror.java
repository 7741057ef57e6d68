package dev.orch.source;

import dev.orch.manifest.ManifestLoader;
import dev.orch.state.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A bare local mirror of one branch of one remote ({@code <state>/git/<name>.git}): incremental fetches, and the
 * manifest files of one directory of a commit read from its objects for the loader. Not thread-safe: {@link GitSource} serialises.
 */
final class GitMirror implements AutoCloseable {
    private static final int FETCH_TIMEOUT_SECONDS = 60;

    private final GitRepoSpec spec;
    private final Path dir;
    private final String trackingRef;
    private Repository repo;

    GitMirror(GitRepoSpec spec, Path dir) {
        this.spec = spec;
        this.dir = dir;
        this.trackingRef = "refs/orch/" + spec.branch();
    }

    /** The bare repository's directory (read by the host's git for signature checks). */
    Path dir() {
        return dir;
    }

    /**
     * Fetches the branch (only the objects not yet in the mirror).
     *
     * @return the commit the remote branch points at
     */
    String fetch() throws RemoteException {
        ExternalSsh[] ssh = new ExternalSsh[1];
        try (Git git = new Git(open())) {
            git.fetch()
                    .setRemote(spec.url())
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + spec.branch() + ":" + trackingRef))
                    .setCheckFetchedObjects(true)
                    .setTimeout(FETCH_TIMEOUT_SECONDS)
                    .setCredentialsProvider(credentials())
                    .setTransportConfigCallback(t -> {
                        if (t instanceof SshTransport st) {
                            ssh[0] = new ExternalSsh(spec.sshKeyFile(), spec.knownHostsFile(), spec.username());
                            st.setSshSessionFactory(ssh[0]);
                        }
                    })
                    .call();
            Ref ref = repo.exactRef(trackingRef);
            if (ref == null || ref.getObjectId() == null) {
                throw new RemoteException(RemoteException.Reason.BranchNotFound, "branch " + spec.branch() + " not found in " + spec.displayUrl(), null);
            }
            return ref.getObjectId().name();
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw classify(e, ssh[0] == null ? "" : ssh[0].stderr());
        }
    }

    /** Whether {@code older} is {@code newer} or one of its ancestors; true when {@code older} is unknown here (mirror lost). */
    boolean descendsFrom(String newer, String older) throws IOException {
        try (RevWalk walk = new RevWalk(open())) {
            RevCommit n = walk.parseCommit(ObjectId.fromString(newer));
            RevCommit o;
            try {
                o = walk.parseCommit(ObjectId.fromString(older));
            } catch (MissingObjectException e) {
                return true;
            }
            return walk.isMergedInto(o, n);
        }
    }

    /** {@code Author Name <email>} of a commit, for the audit log. */
    String author(String commit) throws IOException {
        try (RevWalk walk = new RevWalk(open())) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            return c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress() + ">";
        }
    }

    /**
     * Reads the manifest files under the configured path of {@code commit} straight from the object database
     * (nothing is written to disk): the regular files that {@link ManifestLoader#isManifestFile} accepts, by their
     * path inside the repository. Symlinks and submodules are skipped. At most {@code maxBytes + 1} bytes of each
     * blob are read, so the loader refuses a larger file as too large without orch holding it whole.
     *
     * @return empty when the configured path does not exist in that commit (or is not a directory)
     */
    Optional<Map<String, byte[]>> manifestFiles(String commit, int maxBytes) throws IOException {
        Repository r = open();
        try (ObjectReader reader = r.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            ObjectId tree = c.getTree();
            if (!spec.path().isEmpty()) {
                try (TreeWalk sub = TreeWalk.forPath(reader, spec.path(), c.getTree())) {
                    if (sub == null || sub.getFileMode(0) != FileMode.TREE) {
                        return Optional.empty();
                    }
                    tree = sub.getObjectId(0);
                }
            }
            Map<String, byte[]> files = new TreeMap<>();
            try (TreeWalk tw = new TreeWalk(reader)) {
                tw.addTree(tree);
                tw.setRecursive(true);
                while (tw.next()) {
                    FileMode mode = tw.getFileMode(0);
                    String rel = tw.getPathString();
                    if ((mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) || !ManifestLoader.isManifestFile(rel)) {
                        continue;
                    }
                    try (InputStream in = reader.open(tw.getObjectId(0), Constants.OBJ_BLOB).openStream()) {
                        files.put(spec.path().isEmpty() ? rel : spec.path() + "/" + rel, in.readNBytes(maxBytes + 1));
                    }
                }
            }
            return Optional.of(files);
        }
    }

    private Repository open() throws IOException {
        if (repo == null) {
            AtomicFiles.createPrivateDirectories(dir.getParent());
            Repository r = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
            if (!Files.exists(dir.resolve("HEAD"))) {
                r.create(true);
            }
            repo = r;
        }
        return repo;
    }

    private CredentialsProvider credentials() throws IOException {
        String user = spec.username() == null ? "git" : spec.username();
        if (spec.tokenFile() != null) {
            return new UsernamePasswordCredentialsProvider(user, readSecret(spec.tokenFile(), "token-file"));
        }
        if (spec.passwordFile() != null) {
            return new UsernamePasswordCredentialsProvider(user, readSecret(spec.passwordFile(), "password-file"));
        }
        return null;
    }

    private String readSecret(Path file, String key) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("cannot read orch.git.repos." + spec.name() + "." + key + " " + file + ": " + e, e);
        }
    }

    /** Paths (and URL paths) in messages: removed before classifying. */
    private static final java.util.regex.Pattern PATHS = java.util.regex.Pattern.compile("(/[^\\s:'\"]+)+");
    private static final java.util.regex.Pattern HTTP_AUTH_STATUS = java.util.regex.Pattern.compile("(?<![0-9])40[13](?![0-9])");

    /** @param sshStderr what ssh wrote to stderr, the reason JGit's message may lack */
    private RemoteException classify(Throwable e, String sshStderr) {
        if (e instanceof RemoteException re) {
            return re;
        }
        String all = messages(e) + (sshStderr.isEmpty() ? "" : ": ssh: " + sshStderr.replace('\n', ' '));
        // the messages quote the URL or path, whose digits or words must not decide (a temp dir "junit-1401..." is no HTTP 401)
        String lower = PATHS.matcher(all).replaceAll("").toLowerCase(Locale.ROOT);
        String where = spec.displayUrl();
        RemoteException.Reason reason;
        if (lower.contains("not authorized") || lower.contains("authentication") || lower.contains("permission denied")
                || HTTP_AUTH_STATUS.matcher(lower).find() || lower.contains("host key")) {
            reason = RemoteException.Reason.AuthenticationFailed;
        } else if (all.toLowerCase(Locale.ROOT).contains("does not have refs/heads/") || lower.contains("remote does not have")) {
            reason = RemoteException.Reason.BranchNotFound;
        } else if (has(e, CorruptObjectException.class) || has(e, PackProtocolException.class) || lower.contains("corrupt")
                || lower.contains("checksum") || lower.contains("invalid pack") || lower.contains("missing object")) {
            reason = RemoteException.Reason.CorruptFetch;
        } else if (has(e, NoRemoteRepositoryException.class) || has(e, InvalidRemoteException.class) || has(e, ConnectException.class)
                || has(e, UnknownHostException.class) || has(e, NoRouteToHostException.class) || lower.contains("not found")
                || lower.contains("connection refused") || lower.contains("timed out") || lower.contains("not a git repository")
                || lower.contains("cannot open git-upload-pack")) {
            reason = RemoteException.Reason.Unreachable;
        } else {
            reason = RemoteException.Reason.FetchFailed;
        }
        return new RemoteException(reason, "fetch of " + spec.branch() + " from " + where + " failed: " + all, e);
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The distinct messages of the cause chain, joined: JGit's outermost message alone often hides the cause. */
    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (sb.indexOf(m) < 0) {
                sb.append(sb.isEmpty() ? "" : ": ").append(m);
            }
        }
        return sb.toString().replace('\n', ' ');
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    @Override
    public void close() {
        if (repo != null) {
            repo.close();
            repo = null;
        }
    }
}
