package dev.orch.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Loads {@code Deployment} manifests (YAML or JSON, many documents per file, or a directory tree) into
 * validated records with every default filled in, reporting every problem as a {@link ManifestError}.
 * Stateless and thread-safe.
 */
public final class ManifestLoader {
    /** The source name used for standard input. */
    public static final String STDIN = "<stdin>";

    /**
     * Parse limits, per file.
     *
     * @param maxFileBytes larger files are refused before parsing
     * @param maxDepth deepest nesting of mappings and lists
     * @param maxAliases most {@code *alias} uses in one file
     */
    public record Limits(int maxFileBytes, int maxDepth, int maxAliases) {
        public static final Limits DEFAULTS = new Limits(1 << 20, 32, 50);
        /**
         * An API request body is one stream of every manifest an {@code apply -f DIR} sends: as large as the HTTP
         * body limit ({@code quarkus.http.limits.max-body-size}, 10 MiB), so 1,000 apps fit in one request.
         */
        public static final Limits REQUEST = new Limits(10 << 20, 32, 50);
    }

    private final Limits limits;

    public ManifestLoader() {
        this(Limits.DEFAULTS);
    }

    public ManifestLoader(Limits limits) {
        this.limits = limits;
    }

    /**
     * A file, or a directory searched recursively for {@code *.yaml} and {@code *.yml} (sorted by path;
     * names starting with '.' are skipped, so {@code .git} and {@code .github} are never read).
     * Source names are the paths as given, joined with the relative path inside a directory.
     */
    public LoadResult load(Path fileOrDir) {
        Batch batch = new Batch();
        if (Files.isDirectory(fileOrDir)) {
            for (Path file : manifestFiles(fileOrDir, batch)) {
                batch.addFile(file.toString(), readFile(file, batch));
            }
        } else {
            batch.addFile(fileOrDir.toString(), readFile(fileOrDir, batch));
        }
        return batch.finish();
    }

    /** One stream, such as standard input ({@link #STDIN}); reads at most the size limit plus one byte. */
    public LoadResult load(String sourceName, InputStream in) {
        Batch batch = new Batch();
        String text;
        try {
            byte[] bytes = in.readNBytes(limits.maxFileBytes() + 1);
            text = decode(sourceName, bytes, batch);
        } catch (IOException e) {
            batch.fileError(sourceName, 1, 1, "cannot read: " + e.getMessage());
            text = null;
        }
        batch.addFile(sourceName, text);
        return batch.finish();
    }

    /** Text already in memory, such as an API request body (YAML or JSON). */
    public LoadResult loadString(String sourceName, String text) {
        Batch batch = new Batch();
        String checked = text;
        if (text.length() > limits.maxFileBytes()
                || text.getBytes(StandardCharsets.UTF_8).length > limits.maxFileBytes()) {
            batch.fileError(sourceName, 1, 1, tooLarge());
            checked = null;
        }
        batch.addFile(sourceName, checked);
        return batch.finish();
    }

    /**
     * Files already in memory, such as the blobs of a git tree, loaded as one directory tree is: sorted by name,
     * the same limits per file (bytes beyond {@link Limits#maxFileBytes()} make the file too large), and the
     * duplicate-name and port checks across all of them. The names are the source names of manifests and errors.
     */
    public LoadResult loadAll(Map<String, byte[]> files) {
        Batch batch = new Batch();
        for (var e : new TreeMap<>(files).entrySet()) {
            batch.addFile(e.getKey(), decode(e.getKey(), e.getValue(), batch));
        }
        return batch.finish();
    }

    /**
     * Whether a path relative to a manifest directory names a manifest: {@code *.yaml} or {@code *.yml}, with no
     * part starting with '.' (so {@code .git} and {@code .github} are never read).
     */
    public static boolean isManifestFile(String relativePath) {
        if (!(relativePath.endsWith(".yaml") || relativePath.endsWith(".yml"))) {
            return false;
        }
        for (String part : relativePath.split("/")) {
            if (part.startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    private List<Path> manifestFiles(Path dir, Batch batch) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir) && isManifestFile(relative(dir, p)))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            batch.fileError(dir.toString(), 1, 1, "cannot list directory: " + e.getMessage());
            return List.of();
        }
    }

    /** {@code p} relative to {@code root}, '/'-separated. */
    private static String relative(Path root, Path p) {
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(p)) {
            sb.append(sb.isEmpty() ? "" : "/").append(part);
        }
        return sb.toString();
    }

    private String readFile(Path file, Batch batch) {
        String name = file.toString();
        try {
            if (Files.size(file) > limits.maxFileBytes()) {
                batch.fileError(name, 1, 1, tooLarge());
                return null;
            }
            try (InputStream in = Files.newInputStream(file)) {
                return decode(name, in.readNBytes(limits.maxFileBytes() + 1), batch);
            }
        } catch (IOException e) {
            batch.fileError(name, 1, 1, "cannot read: " + e);
            return null;
        }
    }

    private String decode(String name, byte[] bytes, Batch batch) {
        if (bytes.length > limits.maxFileBytes()) {
            batch.fileError(name, 1, 1, tooLarge());
            return null;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // Located at the first bad byte: the text before it decoded fine.
            String before = out.flip().toString();
            if (before.startsWith("\uFEFF")) {
                before = before.substring(1);
            }
            int[] lc = lineColumn(before, before.codePointCount(0, before.length()));
            batch.fileError(name, lc[0], lc[1], String.format("not valid UTF-8: byte 0x%02X does not start or continue a character",
                    bytes[in.position()] & 0xff));
            return null;
        }
        return out.flip().toString();
    }

    private String tooLarge() {
        return "file is larger than " + limits.maxFileBytes() + " bytes (the limit for one manifest file)";
    }

    /** Collects one load: manifests in order, errors per file, and the cross-document checks. */
    private final class Batch {
        private final List<LoadedManifest> manifests = new ArrayList<>();
        private final Map<LoadedManifest, Node> nameNodes = new IdentityHashMap<>();
        private final Map<String, List<ManifestError>> errorsByFile = new LinkedHashMap<>();

        List<ManifestError> errorsOf(String file) {
            return errorsByFile.computeIfAbsent(file, f -> new ArrayList<>());
        }

        void fileError(String file, int line, int column, String message) {
            errorsOf(file).add(new ManifestError(file, line, column, "", message));
        }

        /** @param text null when reading already failed (and was reported) */
        void addFile(String file, String text) {
            List<ManifestError> errors = errorsOf(file);
            if (text == null) {
                return;
            }
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            text = JsonAsYaml.adaptJsonDocuments(text);
            YamlDocuments.Documents documents;
            try {
                documents = YamlDocuments.compose(text, limits);
            } catch (YamlDocuments.LimitExceeded e) {
                errors.add(at(file, e.mark, e.getMessage()));
                return;
            } catch (MarkedYAMLException e) {
                errors.add(at(file, e.getProblemMark(), "invalid YAML: " + syntaxMessage(e)));
                return;
            } catch (ReaderException e) {
                int[] lc = lineColumn(text, e.getPosition());
                errors.add(new ManifestError(file, lc[0], lc[1], "", "invalid YAML: character "
                        + String.format("U+%04X", e.getCodePoint()) + " is not allowed in YAML text"));
                return;
            } catch (YAMLException e) {
                errors.add(new ManifestError(file, 1, 1, "", "invalid YAML: " + e.getMessage()));
                return;
            }
            NodeReader reader = new NodeReader(file, errors, documents.tags());
            try {
                for (Node document : documents.nodes()) {
                    Deployment d = new DeploymentReader(reader).read(document);
                    if (d != null) {
                        LoadedManifest m = new LoadedManifest(d, file, document.getStartMark().getLine() + 1);
                        manifests.add(m);
                        nameNodes.put(m, nameNode(document));
                    }
                }
            } catch (NodeReader.TooManyErrors e) {
                // already reported as the last error of this file
            }
        }

        LoadResult finish() {
            List<LoadedManifest> kept = new ArrayList<>();
            Map<String, LoadedManifest> byName = new HashMap<>();
            for (LoadedManifest m : manifests) {
                LoadedManifest first = byName.putIfAbsent(m.deployment().name(), m);
                if (first != null) {
                    errorsOf(m.file()).add(at(m.file(), nameNodes.get(m).getStartMark(), "metadata.name",
                            "duplicate app name \"" + m.deployment().name() + "\": first defined at " + first.location()
                                    + ", again at " + m.location() + " (the first definition is kept)"));
                    continue;
                }
                String conflict = portConflict(m, kept);
                if (conflict != null) {
                    errorsOf(m.file()).add(at(m.file(), nameNodes.get(m).getStartMark(), "spec.route", conflict));
                    continue;
                }
                kept.add(m);
            }
            List<ManifestError> errors = new ArrayList<>();
            errorsByFile.values().forEach(list -> {
                list.sort(Comparator.comparingInt(ManifestError::line).thenComparingInt(ManifestError::column));
                errors.addAll(list);
            });
            return new LoadResult(kept, errors);
        }
    }

    /** Two apps cannot listen on the same port of overlapping addresses. */
    private static String portConflict(LoadedManifest m, List<LoadedManifest> kept) {
        RouteSpec route = m.deployment().spec().route();
        for (LoadedManifest other : kept) {
            RouteSpec o = other.deployment().spec().route();
            for (String claim : hostClaims(route)) {
                if (hostClaims(o).contains(claim)) {
                    int slash = claim.indexOf('/');
                    return (slash < 0 ? "host " + claim : "host " + claim.substring(0, slash) + " with path prefix " + claim.substring(slash))
                            + " is already routed to app \"" + other.deployment().name() + "\" at " + other.location()
                            + " (the first definition is kept)";
                }
            }
            if (!addressesOverlap(route.bindAddress(), o.bindAddress())) {
                continue;
            }
            for (Integer port : ports(route)) {
                if (ports(o).contains(port)) {
                    return "port " + port + " is already used by app \"" + other.deployment().name() + "\" at "
                            + other.location() + " (the first definition is kept)";
                }
            }
        }
        return null;
    }

    private static List<String> hostClaims(RouteSpec route) {
        return route.hostNames().stream().map(h -> HostRules.claim(h, route.pathPrefix())).toList();
    }

    private static List<Integer> ports(RouteSpec route) {
        return route.previewPort() == null ? List.of(route.port()) : List.of(route.port(), route.previewPort());
    }

    private static boolean addressesOverlap(String a, String b) {
        return Rules.addressesOverlap(a, b);
    }

    private static Node nameNode(Node document) {
        Node metadata = child(document, "metadata");
        Node name = metadata == null ? null : child(metadata, "name");
        return name == null ? document : name;
    }

    private static Node child(Node mapping, String key) {
        if (mapping instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "syntax error" : e.getProblem();
        if (e.getContext() != null && e.getContextMark() != null) {
            return problem + " (" + e.getContext() + " at line " + (e.getContextMark().getLine() + 1) + ")";
        }
        return e.getContext() == null ? problem : problem + " (" + e.getContext() + ")";
    }

    private static ManifestError at(String file, Mark mark, String message) {
        return at(file, mark, "", message);
    }

    private static ManifestError at(String file, Mark mark, String field, String message) {
        return mark == null
                ? new ManifestError(file, 1, 1, field, message)
                : new ManifestError(file, mark.getLine() + 1, mark.getColumn() + 1, field, message);
    }

    /** 1-based line and column of a code-point index. */
    private static int[] lineColumn(String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int i = 0;
        for (int cp = 0; cp < codePointIndex && i < text.length(); cp++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }
}
