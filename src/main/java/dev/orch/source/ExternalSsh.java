package dev.orch.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RemoteSession;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

/**
 * ssh for JGit through the system's OpenSSH client (JGit's core has no ssh of its own): one {@code ssh} process per
 * fetch, started from an argv (no shell on this side), with this repository's key and a strict known_hosts.
 */
final class ExternalSsh extends SshSessionFactory {
    private final Path keyFile;
    private final Path knownHosts;
    private final String defaultUser;
    private final String sshBinary;
    /** The ssh processes of this fetch, for their stderr (see {@link #stderr}). */
    private final List<ExitWaiting> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    ExternalSsh(Path keyFile, Path knownHosts, String defaultUser) {
        this(keyFile, knownHosts, defaultUser, "ssh");
    }

    ExternalSsh(Path keyFile, Path knownHosts, String defaultUser, String sshBinary) {
        this.keyFile = keyFile;
        this.knownHosts = knownHosts;
        this.defaultUser = defaultUser;
        this.sshBinary = sshBinary;
    }

    @Override
    public String getType() {
        return "orch-openssh";
    }

    @Override
    public RemoteSession getSession(URIish uri, CredentialsProvider credentials, FS fs, int timeoutMillis) {
        return new RemoteSession() {
            @Override
            public Process exec(String command, int timeoutSeconds) throws IOException {
                ExitWaiting p = new ExitWaiting(new ProcessBuilder(argv(uri, command, timeoutSeconds)).start());
                started.add(p);
                return p;
            }

            @Override
            public void disconnect() {
                // each exec is its own ssh process, ended by JGit closing its streams
            }
        };
    }

    /**
     * What the ssh processes of this fetch wrote to stderr ("Permission denied", "Host key verification failed"),
     * once they have exited. JGit reads a failed ssh's stderr on a thread of its own and may report the failure
     * before that thread copied anything, so the reason of a failure is taken from here instead.
     */
    String stderr() {
        StringBuilder sb = new StringBuilder();
        for (ExitWaiting p : started) {
            String e = p.stderr();
            if (!e.isEmpty()) {
                sb.append(sb.isEmpty() ? "" : "\n").append(e);
            }
        }
        return sb.toString();
    }

    /** The ssh command line; {@code command} is JGit's {@code git-upload-pack '<path>'}, run by the remote shell as git does. */
    List<String> argv(URIish uri, String command, int timeoutSeconds) {
        List<String> argv = new ArrayList<>(List.of(sshBinary, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"));
        if (knownHosts != null) {
            argv.addAll(List.of("-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null"));
        }
        if (keyFile != null) {
            argv.addAll(List.of("-i", keyFile.toString(), "-o", "IdentitiesOnly=yes"));
        }
        if (timeoutSeconds > 0) {
            argv.addAll(List.of("-o", "ConnectTimeout=" + timeoutSeconds));
        }
        if (uri.getPort() > 0) {
            argv.addAll(List.of("-p", Integer.toString(uri.getPort())));
        }
        String user = uri.getUser() != null ? uri.getUser() : defaultUser;
        // "--" ends ssh's options: a host name can never be read as one
        argv.add("--");
        argv.add(user == null ? uri.getHost() : user + "@" + uri.getHost());
        argv.add(command);
        return argv;
    }

    /**
     * JGit asks a failed ssh for its exit value as soon as the stream ends; ssh may not have exited yet, and
     * the failure would lose its reason ("Permission denied", "Host key verification failed"). Waits a little.
     * Keeps stderr itself (JGit gets an empty one), read to its end by a thread of its own.
     */
    private static final class ExitWaiting extends Process {
        private static final int MAX_STDERR = 64 * 1024;
        private final Process p;
        private final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        private final Thread errReader;

        ExitWaiting(Process p) {
            this.p = p;
            this.errReader = Thread.ofPlatform().daemon(true).name("orch-ssh-stderr-" + p.pid()).start(() -> {
                byte[] buf = new byte[4096];
                try (java.io.InputStream in = p.getErrorStream()) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        synchronized (err) {
                            err.write(buf, 0, Math.min(n, Math.max(0, MAX_STDERR - err.size())));
                        }
                    }
                } catch (IOException e) {
                    // the process is gone: what was read is what there is
                }
            });
        }

        /** stderr, once ssh exited and it was read to the end (at most 10 s of waiting). */
        String stderr() {
            try {
                errReader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (err) {
                return err.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
            }
        }

        @Override
        public int exitValue() {
            try {
                p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return p.exitValue();
        }

        @Override
        public java.io.OutputStream getOutputStream() {
            return p.getOutputStream();
        }

        @Override
        public java.io.InputStream getInputStream() {
            return p.getInputStream();
        }

        @Override
        public java.io.InputStream getErrorStream() {
            return java.io.InputStream.nullInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            return p.waitFor();
        }

        @Override
        public boolean waitFor(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
            return p.waitFor(timeout, unit);
        }

        @Override
        public boolean isAlive() {
            return p.isAlive();
        }

        @Override
        public void destroy() {
            p.destroy();
        }

        @Override
        public Process destroyForcibly() {
            return p.destroyForcibly();
        }

        @Override
        public long pid() {
            return p.pid();
        }

        @Override
        public ProcessHandle toHandle() {
            return p.toHandle();
        }
    }
}
