package dev.orch.manifest;

import dev.orch.manifest.NodeReader.Obj;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads {@code spec.template.artifact}: one file by path or URL, or a release channel, and the credentials. */
final class ArtifactReader {
    static final List<String> ARTIFACT_FIELDS = List.of("path", "url", "sha256", "auth", "channel");
    static final List<String> CHANNEL_FIELDS = List.of("path", "url", "pattern", "preReleases");
    static final List<String> ARTIFACT_AUTH_FIELDS = List.of("bearerTokenFile", "basicAuthFile");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final NodeReader r;

    ArtifactReader(NodeReader reader) {
        this.r = reader;
    }

    Artifact artifact(Obj a) {
        if (a == null) {
            return null;
        }
        int before = r.errorCount();
        String path = a.string("path", null);
        String url = a.string("url", null);
        String sha256 = a.string("sha256", null);
        int kinds = (a.has("path") ? 1 : 0) + (a.has("url") ? 1 : 0) + (a.has("channel") ? 1 : 0);
        if (kinds > 1) {
            r.error(a.mark(a.has("channel") ? "channel" : "url"), a.path(a.has("channel") ? "channel" : "url"),
                    "set only one of path, url or channel");
        } else if (kinds == 0) {
            r.error(a.at, a.path, "set exactly one of path (a file on this machine), url (with sha256) or channel (a release channel)");
        }
        if (path != null) {
            check(a, "path", Rules.absolutePath(path));
        }
        if (a.has("sha256") && !a.has("url")) {
            r.error(a.mark("sha256"), a.path("sha256"), "sha256 is only used with url (a local path is hashed by orch)");
        }
        if (url != null) {
            check(a, "url", urlProblem(url));
            if (!a.has("sha256")) {
                r.error(a.mark("url"), a.path("sha256"), "required with url: the sha256 (64 hex digits) of the file");
            }
        }
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            r.error(a.node("sha256"), a.path("sha256"), "must be 64 hexadecimal digits, got " + sha256.length() + " characters");
        }
        ReleaseChannel channel = a.has("channel") ? channel(a.object("channel", CHANNEL_FIELDS)) : null;
        ArtifactAuth auth = null;
        if (a.has("auth")) {
            String remote = url != null ? url : channel != null ? channel.url() : null;
            if (remote == null || !(remote.startsWith("https:") || remote.startsWith("http:"))) {
                r.error(a.mark("auth"), a.path("auth"), "auth is only used with an http or https url or channel url");
            }
            auth = artifactAuth(a.object("auth", ARTIFACT_AUTH_FIELDS));
        }
        if (r.errorCount() != before) {
            return null;
        }
        return new Artifact(path, url, sha256 == null ? null : sha256.toLowerCase(Locale.ROOT), auth, channel);
    }

    private ReleaseChannel channel(Obj c) {
        if (c == null) {
            return null;
        }
        int before = r.errorCount();
        String path = c.string("path", null);
        String url = c.string("url", null);
        if (c.has("path") == c.has("url")) {
            r.error(c.at, c.path, "set exactly one of path (a directory on this machine) or url (an HTTP index page of the releases)");
        }
        if (path != null) {
            check(c, "path", Rules.absolutePath(path));
        }
        if (url != null) {
            check(c, "url", urlProblem(url));
        }
        String pattern = c.string("pattern", null);
        if (!c.has("pattern")) {
            r.error(c.at, c.path("pattern"), "required: the release file name with * for the version, e.g. web-*.jar");
        } else if (pattern != null) {
            check(c, "pattern", pattern.indexOf('*') < 0 || pattern.indexOf('*') != pattern.lastIndexOf('*') || pattern.contains("/")
                    ? "must be a file name with exactly one * (the version), e.g. web-*.jar" : null);
        }
        boolean pre = c.bool("preReleases", false);
        return r.errorCount() != before ? null : new ReleaseChannel(path, url, pattern, pre ? Boolean.TRUE : null);
    }

    private ArtifactAuth artifactAuth(Obj a) {
        if (a == null) {
            return null;
        }
        String bearer = a.string("bearerTokenFile", null);
        String basic = a.string("basicAuthFile", null);
        if (a.has("bearerTokenFile") == a.has("basicAuthFile")) {
            r.error(a.at, a.path, "set exactly one of bearerTokenFile (a file holding the token) or basicAuthFile "
                    + "(a file holding user:password); credentials are never written inline");
        }
        if (bearer != null) {
            check(a, "bearerTokenFile", Rules.absolutePath(bearer));
        }
        if (basic != null) {
            check(a, "basicAuthFile", Rules.absolutePath(basic));
        }
        return new ArtifactAuth(bearer, basic);
    }

    private static String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "invalid URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        switch (scheme) {
            case "https", "http" -> {
                if (uri.getHost() == null) {
                    return "invalid URL \"" + url + "\": it needs a host";
                }
                return null;
            }
            case "file" -> {
                String path = uri.getPath();
                String problem = path == null ? "needs a path" : Rules.absolutePath(path);
                return problem == null ? null : "invalid file URL: path " + problem;
            }
            default -> {
                return "unsupported URL scheme \"" + scheme + "\": use https, http or file";
            }
        }
    }

    private void check(Obj o, String key, String problem) {
        if (problem != null) {
            r.error(o.node(key), o.path(key), problem);
        }
    }
}
