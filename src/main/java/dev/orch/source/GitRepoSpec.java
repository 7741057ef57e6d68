package dev.orch.source;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configured repository ({@code orch.git.repos.<name>.*}).
 *
 * @param name short name: the mirror's directory, metric label and API path segment
 * @param url file://, https:// or ssh:// URL (or a local path)
 * @param branch branch to deploy
 * @param path directory inside the repository ({@code .} for the root)
 * @param poll fetch interval when nothing triggers a sync
 * @param tokenFile https access token, or null
 * @param username https user (default {@code git}) or ssh user, or null
 * @param passwordFile https basic-auth password, or null
 * @param sshKeyFile ssh private key, or null
 * @param knownHostsFile ssh known_hosts, or null
 * @param webhookSecretFile webhook HMAC secret, or null (webhook refused)
 * @param verify signed-commit verification ({@link VerifySpec#OFF} when null)
 */
public record GitRepoSpec(String name, String url, String branch, String path, Duration poll, Path tokenFile, String username,
        Path passwordFile, Path sshKeyFile, Path knownHostsFile, Path webhookSecretFile, VerifySpec verify) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public GitRepoSpec {
        Objects.requireNonNull(url, "url");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid git repository name \"" + name + "\" in orch.git.repos.<name>: use lower-case"
                    + " letters, digits and '-' (it names a directory and a metric label)");
        }
        if (url.isBlank()) {
            throw new IllegalArgumentException("orch.git.repos." + name + ".url is empty");
        }
        branch = branch == null || branch.isBlank() ? "main" : branch;
        path = normalisePath(name, path);
        verify = verify == null ? VerifySpec.OFF : verify;
        poll = poll == null || poll.isZero() || poll.isNegative() ? Duration.ofSeconds(60) : poll;
    }

    /** A spec with defaults for everything but name, url, branch and path (tests, file:// repositories). */
    public static GitRepoSpec of(String name, String url, String branch, String path) {
        return new GitRepoSpec(name, url, branch, path, null, null, null, null, null, null, null, null);
    }

    /** This spec with signed-commit verification (tests). */
    public GitRepoSpec withVerify(VerifySpec v) {
        return new GitRepoSpec(name, url, branch, path, poll, tokenFile, username, passwordFile, sshKeyFile, knownHostsFile, webhookSecretFile, v);
    }

    /** The URL without user info (a password must never reach status, logs or metrics). */
    public String displayUrl() {
        try {
            URI u = URI.create(url);
            if (u.getRawUserInfo() != null && u.getRawUserInfo().contains(":")) {
                return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), u.getFragment()).toString();
            }
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            // not a URI (a plain path or scp-like address): shown as given
        }
        return url;
    }

    /** {@code ""} for the repository root, else a relative path without {@code .}, {@code ..} or leading/trailing '/'. */
    private static String normalisePath(String name, String p) {
        if (p == null || p.isBlank()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IllegalArgumentException("orch.git.repos." + name + ".path \"" + p + "\" must stay inside the repository (no '..')");
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }
}
