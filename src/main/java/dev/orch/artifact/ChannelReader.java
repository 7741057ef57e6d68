package dev.orch.artifact;

import com.github.zafarkhaja.semver.Version;
import dev.orch.manifest.ArtifactAuth;
import dev.orch.manifest.ReleaseChannel;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a release channel: the file names it lists (a directory's entries, or the links of an HTTP index page),
 * the versions that {@code pattern} finds in them (semantic versions; pre-releases only when the channel takes
 * them), and the sha256 of each from {@code SHA256SUMS} or a {@code <file>.sha256} beside it. The newest
 * version that has a digest wins; a version without one is passed over.
 */
final class ChannelReader {
    static final String SUMS = "SHA256SUMS";
    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*[\"']([^\"'#?]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

    /** Reads a small text by URL; null when it does not exist. */
    interface Texts {
        String get(URI uri, ArtifactAuth auth) throws DownloadException;
    }

    private final Texts texts;

    ChannelReader(Texts texts) {
        this.texts = texts;
    }

    /** The newest release with a digest; empty when the channel lists none. */
    Optional<Release> newest(ReleaseChannel c, ArtifactAuth auth) throws DownloadException {
        URI base = base(c);
        Set<String> names = names(c, base, auth);
        Map<String, String> sums = names.contains(SUMS) ? sums(text(base.resolve(SUMS), auth)) : Map.of();
        List<Map.Entry<Version, String>> candidates = new ArrayList<>();
        for (String name : names) {
            version(c, name).ifPresent(v -> candidates.add(Map.entry(v, name)));
        }
        candidates.sort((x, y) -> y.getKey().compareToIgnoreBuildMetadata(x.getKey())); // newest first
        for (Map.Entry<Version, String> e : candidates) {
            String name = e.getValue();
            String sha = sums.get(name);
            if (sha == null && names.contains(name + ".sha256")) {
                sha = firstDigest(text(base.resolve(encode(name + ".sha256")), auth));
            }
            if (sha != null) {
                URI location = c.path() != null ? Path.of(c.path()).resolve(name).toUri() : base.resolve(encode(name));
                return Optional.of(new Release(e.getKey().toString(), name, location, sha.toLowerCase(Locale.ROOT)));
            }
        }
        return Optional.empty();
    }

    /** The version in {@code name}, when it matches the pattern and is one the channel takes. */
    static Optional<Version> version(ReleaseChannel c, String name) {
        int star = c.pattern().indexOf('*');
        String prefix = c.pattern().substring(0, star);
        String suffix = c.pattern().substring(star + 1);
        if (name.length() <= prefix.length() + suffix.length() || !name.startsWith(prefix) || !name.endsWith(suffix)) {
            return Optional.empty();
        }
        return Version.tryParse(name.substring(prefix.length(), name.length() - suffix.length()))
                .filter(v -> c.takesPreReleases() || !v.isPreRelease());
    }

    private static URI base(ReleaseChannel c) {
        if (c.path() != null) {
            return Path.of(c.path()).toUri(); // a directory's URI ends in '/'
        }
        return c.url().endsWith("/") ? URI.create(c.url()) : URI.create(c.url() + "/");
    }

    private Set<String> names(ReleaseChannel c, URI base, ArtifactAuth auth) throws DownloadException {
        Set<String> names = new LinkedHashSet<>();
        if (c.path() != null) {
            try (Stream<Path> files = Files.list(Path.of(c.path()))) {
                files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new DownloadException("read channel " + c.path() + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such directory" : e.getMessage()), e);
            }
            return names;
        }
        String index = text(base, auth);
        if (index == null) {
            throw new DownloadException("read channel " + c.url() + ": HTTP 404");
        }
        Matcher m = HREF.matcher(index);
        while (m.find()) {
            String href = m.group(1);
            String last = href.substring(href.lastIndexOf('/', href.length() - 2) + 1);
            if (!last.isEmpty() && !last.endsWith("/")) {
                names.add(URLDecoder.decode(last, StandardCharsets.UTF_8));
            }
        }
        return names;
    }

    private String text(URI uri, ArtifactAuth auth) throws DownloadException {
        return texts.get(uri, auth);
    }

    /** {@code sha256sum} output: {@code <hex>  <name>} or {@code <hex> *<name>} per line. */
    static Map<String, String> sums(String text) {
        Map<String, String> sums = new HashMap<>();
        if (text == null) {
            return sums;
        }
        for (String line : text.split("\n")) {
            String[] parts = line.strip().split("\\s+", 2);
            if (parts.length == 2 && HEX.matcher(parts[0]).matches()) {
                String name = parts[1].startsWith("*") ? parts[1].substring(1) : parts[1];
                sums.put(name.strip(), parts[0]);
            }
        }
        return sums;
    }

    private static String firstDigest(String text) {
        if (text == null) {
            return null;
        }
        String first = text.strip().split("\\s+", 2)[0];
        return HEX.matcher(first).matches() ? first : null;
    }

    /** A file name as a relative URI path (percent-encoded where it must be). */
    private static String encode(String name) {
        try {
            return new URI(null, null, name, null).getRawPath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(name, e);
        }
    }
}
