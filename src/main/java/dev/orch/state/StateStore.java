package dev.orch.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.Rules;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * orchd's state directory (layout in docs/state.md): versioned JSON documents written atomically through
 * {@link AtomicFiles}. Reads never fail on bad content: an empty, torn or otherwise unusable file is renamed to
 * {@code <name>.corrupt-<timestamp>}, logged at WARN and read as absent. I/O failures (disk full, permissions)
 * raise {@link StateStoreException}.
 *
 * <p>Thread-safe for different apps; callers serialise work on one app (the work queue does).
 */
public final class StateStore {
    /** Version written into, and required from, every state file of this layout. */
    public static final int SCHEMA_VERSION = 1;
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/orchd");
    /** {@code orch.audit.max-file-size}'s default, 10 MiB. */
    public static final long DEFAULT_AUDIT_MAX_BYTES = 10L * 1024 * 1024;

    static final String SCHEMA_FIELD = "schemaVersion";
    static final String CORRUPT_MARKER = ".corrupt-";
    private static final Pattern REVISION_FILE = Pattern.compile("([1-9][0-9]{0,9})\\.json");
    private static final Pattern REVISION_NUMBER_PREFIX = Pattern.compile("^\\.?([1-9][0-9]{0,9})\\.json");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Logger LOG = Logger.getLogger(StateStore.class);

    private final Path root;
    private final Clock clock;
    private final ObjectMapper mapper = StateJson.mapper();
    private final ObjectWriter prettyWriter = mapper.writerWithDefaultPrettyPrinter();
    private final AuditLog audit;

    public StateStore(Path root) {
        this(root, Clock.systemUTC());
    }

    public StateStore(Path root, Clock clock) {
        this(root, clock, DEFAULT_AUDIT_MAX_BYTES);
    }

    /**
     * Opens (creating if needed: mode 0711 for the root, 0755 for artifacts/, 0700 for the rest) the state
     * directory and its layout, and deletes temp files
     * that a crash left behind.
     */
    public StateStore(Path root, Clock clock, long auditMaxBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = new AuditLog(this.root, mapper, this::auditLine, auditMaxBytes);
        try {
            for (Path dir : List.of(this.root, appsDir(), archiveDir(), gitDir())) {
                AtomicFiles.createPrivateDirectories(dir);
            }
            // services run as other users (DynamicUser) and must reach their artifact copies: the root is
            // traversable but not listable, artifacts/ readable; everything else stays 0700
            Files.setPosixFilePermissions(this.root, PosixFilePermissions.fromString("rwx--x--x"));
            Files.createDirectories(artifactsDir());
            for (Path dir : List.of(artifactsDir().getParent(), artifactsDir())) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            // git/ belongs to JGit, whose files are not ours to judge: clean everything else
            List<Path> removed = new ArrayList<>();
            for (Path dir : List.of(appsDir(), archiveDir(), artifactsDir())) {
                removed.addAll(AtomicFiles.removeTempFiles(dir));
            }
            try (DirectoryStream<Path> top = Files.newDirectoryStream(this.root)) {
                for (Path p : top) {
                    if (AtomicFiles.isTempFile(p) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(p);
                        removed.add(p);
                    }
                }
            }
            for (Path p : removed) {
                LOG.infof("Removed %s, the temp file of a write interrupted by a crash", p);
            }
        } catch (IOException e) {
            throw new StateStoreException("cannot open state directory " + this.root + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** Reserved for the git working copy (the source package owns its content). */
    public Path gitDir() {
        return root.resolve("git");
    }

    /** Reserved for fetched artifacts, content-addressed as {@code artifacts/sha256/<hex>}. */
    public Path artifactsDir() {
        return root.resolve("artifacts").resolve("sha256");
    }

    public Path appDir(String app) {
        return appsDir().resolve(checkName(app));
    }

    // ---- apps

    /** Names of the apps that have a directory under {@code apps/}, sorted. */
    public List<String> listApps() {
        List<String> apps = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(appsDir())) {
            for (Path p : dirs) {
                String name = p.getFileName().toString();
                if (Rules.appNameArgument(name) == null && Files.isDirectory(p)) {
                    apps.add(name);
                }
            }
        } catch (IOException e) {
            throw failure("list apps in " + appsDir(), e);
        }
        apps.sort(null);
        return apps;
    }

    /**
     * Moves the whole directory of a deleted app to {@code archive/<app>-<timestamp>/}.
     *
     * @return where it went, or empty when the app had no directory
     */
    public Optional<Path> archive(String app) {
        Path from = appDir(app);
        if (!Files.isDirectory(from)) {
            return Optional.empty();
        }
        String stamp = STAMP.format(clock.instant());
        Path to = archiveDir().resolve(app + "-" + stamp);
        for (int i = 1; Files.exists(to); i++) {
            to = archiveDir().resolve(app + "-" + stamp + "-" + i);
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(appsDir());
            AtomicFiles.fsyncDirectory(archiveDir());
        } catch (IOException e) {
            throw failure("archive " + from + " to " + to, e);
        }
        LOG.infof("Archived the state of app %s to %s", app, to);
        return Optional.of(to);
    }

    /**
     * Files of this app that were found unusable and moved aside. An app with a quarantined {@code desired.json}
     * has lost its desired state: treat it as broken (condition, event), not as deleted.
     */
    public List<Path> quarantined(String app) {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(appDir(app), revisionsDir(app))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + CORRUPT_MARKER + "*")) {
                files.forEach(found::add);
            } catch (IOException e) {
                throw failure("list " + dir, e);
            }
        }
        found.sort(null);
        return found;
    }

    // ---- desired state

    public Optional<DesiredApp> readDesired(String app) {
        return readDocument(desiredFile(app), DesiredApp.class);
    }

    public void writeDesired(DesiredApp desired) {
        writeDocument(desiredFile(desired.name()), desired);
    }

    /**
     * Stores what a source asks for (not thread-safe per app: the intake serialises its callers). Generation starts at 1 and goes up by one whenever the deployment or the
     * source changes; an identical request changes nothing (no write, same generation).
     *
     * @return the stored desired state
     */
    public DesiredApp updateDesired(Deployment deployment, Source source) {
        return updateDesired(deployment, source, null);
    }

    /** As {@link #updateDesired(Deployment, Source)}, pinning the artifact digest (undo to a stored revision). */
    public DesiredApp updateDesired(Deployment deployment, Source source, String artifactSha256) {
        Instant now = clock.instant();
        Optional<DesiredApp> old = readDesired(deployment.name());
        if (old.isPresent() && old.get().deployment().equals(deployment) && old.get().source().equals(source)
                && Objects.equals(old.get().artifactSha256(), artifactSha256)) {
            return old.get();
        }
        DesiredApp next = old.map(o -> new DesiredApp(deployment, source, o.generation() + 1, o.createdAt(), now, artifactSha256))
                .orElseGet(() -> new DesiredApp(deployment, source, 1, now, now, artifactSha256));
        writeDesired(next);
        return next;
    }


    /** Deletes the desired state, and any unreadable one that was moved aside (a delete is a decision). */
    public boolean deleteDesired(String app) {
        boolean quarantined = false;
        for (Path p : quarantined(app)) {
            if (p.getFileName().toString().startsWith("desired.json")) {
                quarantined |= deleteDurably(p);
            }
        }
        return deleteDurably(desiredFile(app)) || quarantined;
    }

    // ---- actual state

    public Optional<ActualState> readActual(String app) {
        return readDocument(actualFile(app), ActualState.class);
    }

    public void writeActual(String app, ActualState actual) {
        writeDocument(actualFile(app), actual);
    }

    // ---- revisions

    /** Stored revisions of an app, oldest first; unusable ones are moved aside and left out. */
    public List<Revision> revisions(String app) {
        List<Revision> out = new ArrayList<>();
        for (int n : revisionNumbers(app)) {
            readRevision(app, n).ifPresent(out::add);
        }
        return out;
    }

    public Optional<Revision> readRevision(String app, int number) {
        return readDocument(revisionFile(app, number), Revision.class);
    }

    public void putRevision(String app, Revision revision) {
        writeDocument(revisionFile(app, revision.number()), revision);
    }

    /**
     * One more than the highest revision number this app has on disk (counting files moved aside, so a number is
     * never handed out twice); 1 for a new app.
     */
    public int nextRevisionNumber(String app) {
        int max = 0;
        Path dir = revisionsDir(app);
        if (!Files.isDirectory(dir)) {
            return 1;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                Matcher m = REVISION_NUMBER_PREFIX.matcher(p.getFileName().toString());
                if (m.find()) {
                    max = Math.max(max, Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw failure("list " + dir, e);
        } catch (NumberFormatException e) {
            // more than 2^31 revisions; cannot happen in practice
            throw new IllegalStateException("revision number overflow in " + dir, e);
        }
        return max + 1;
    }

    /** {@link #pruneRevisions(String, int, Set)} protecting nothing extra. */
    public List<Integer> pruneRevisions(String app, int limit) {
        return pruneRevisions(app, limit, Set.of());
    }

    /**
     * Deletes old revisions: keeps the newest {@code limit} and every number in {@code keep} (e.g. the revisions
     * the two colors run).
     *
     * @return the numbers deleted, oldest first
     */
    public List<Integer> pruneRevisions(String app, int limit, Set<Integer> keep) {
        if (limit < 0) {
            throw new IllegalArgumentException("revision history limit must be >= 0: " + limit);
        }
        List<Integer> numbers = revisionNumbers(app);
        List<Integer> deleted = new ArrayList<>();
        for (int n : numbers.subList(0, Math.max(0, numbers.size() - limit))) {
            if (!keep.contains(n)) {
                try {
                    Files.deleteIfExists(revisionFile(app, n));
                } catch (IOException e) {
                    throw failure("delete revision " + n + " of " + app, e);
                }
                deleted.add(n);
            }
        }
        if (!deleted.isEmpty()) {
            fsync(revisionsDir(app));
        }
        return deleted;
    }

    // ---- audit log

    /** Appends one line to {@code audit.log} and fsyncs it (rotating the file first when it is full, see {@link AuditLog}). */
    public void appendAudit(AuditEntry entry) {
        if (entry.app() != null) {
            checkName(entry.app());
        }
        try {
            audit.append(entry);
        } catch (IOException e) {
            throw failure("append to " + audit.current(), e);
        }
    }

    /**
     * The last {@code limit} audit entries, oldest first, of one app or (with {@code app} null) of all, rotated files
     * included. Lines that cannot be used are skipped with a WARN; a torn last line is ignored.
     */
    public List<AuditEntry> readAudit(String app, int limit) {
        return limit <= 0 ? List.of() : searchAudit(new AuditQuery(app, null, null, limit));
    }

    private AuditEntry auditLine(byte[] line, Path file, int number) {
        Decoded<AuditEntry> d = decode(line, AuditEntry.class);
        if (d.value == null) {
            LOG.warnf("Skipping line %d of %s: %s", number, file, d.problem);
        }
        return d.value;
    }

    /** The entries the query accepts, oldest first, rotated files included ({@code orchctl audit}). */
    public List<AuditEntry> searchAudit(AuditQuery q) {
        List<AuditEntry> out;
        try {
            out = audit.read(q::matches);
        } catch (IOException e) {
            throw failure("read " + audit.current(), e);
        }
        return q.limit() > 0 ? out.subList(Math.max(0, out.size() - q.limit()), out.size()) : out;
    }

    // ---- documents

    private <T> void writeDocument(Path file, T value) {
        try {
            byte[] json = prettyWriter.writeValueAsBytes(versioned(value));
            byte[] data = new byte[json.length + 1];
            System.arraycopy(json, 0, data, 0, json.length);
            data[json.length] = '\n';
            AtomicFiles.createPrivateDirectories(file.getParent());
            AtomicFiles.write(file, data);
        } catch (IOException e) {
            throw failure("write " + file, e);
        }
    }

    private ObjectNode versioned(Object value) {
        ObjectNode node = mapper.createObjectNode();
        node.put(SCHEMA_FIELD, SCHEMA_VERSION);
        node.setAll((ObjectNode) mapper.valueToTree(value));
        return node;
    }

    /** The document, or empty when absent or unusable (then it is moved aside). */
    private <T> Optional<T> readDocument(Path file, Class<T> type) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read " + file, e);
        }
        Decoded<T> d = decode(data, type);
        if (d.value != null) {
            return Optional.of(d.value);
        }
        quarantine(file, d.problem);
        return Optional.empty();
    }

    private record Decoded<T>(T value, String problem) {}

    private <T> Decoded<T> decode(byte[] data, Class<T> type) {
        if (isBlank(data)) {
            return new Decoded<>(null, "empty file");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(data);
        } catch (IOException e) {
            return new Decoded<>(null, "not valid JSON (torn write?): " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            return new Decoded<>(null, "not a JSON object");
        }
        JsonNode version = tree.get(SCHEMA_FIELD);
        if (version == null || version.isNull()) {
            return new Decoded<>(null, "no " + SCHEMA_FIELD);
        }
        if (!version.isIntegralNumber() || version.asLong() != SCHEMA_VERSION) {
            return new Decoded<>(null, "unsupported " + SCHEMA_FIELD + " " + version + " (this orchd reads "
                    + SCHEMA_VERSION + ")");
        }
        ((ObjectNode) tree).remove(SCHEMA_FIELD);
        try {
            T value = mapper.treeToValue(tree, type);
            if (value == null) {
                return new Decoded<>(null, "no content");
            }
            return new Decoded<>(value, null);
        } catch (IOException | RuntimeException e) {
            return new Decoded<>(null, "does not match the " + type.getSimpleName() + " schema: "
                    + firstLine(e.getMessage()));
        }
    }

    private void quarantine(Path file, String problem) {
        String stamp = STAMP.format(clock.instant());
        Path aside = file.resolveSibling(file.getFileName() + CORRUPT_MARKER + stamp);
        for (int i = 1; Files.exists(aside); i++) {
            aside = file.resolveSibling(file.getFileName() + CORRUPT_MARKER + stamp + "-" + i);
        }
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(file.getParent());
            LOG.warnf("State file %s is unusable (%s): moved it aside to %s and treating it as absent",
                    file, problem, aside.getFileName());
        } catch (IOException e) {
            LOG.warnf("State file %s is unusable (%s) and could not be moved aside (%s): treating it as absent",
                    file, problem, e.getMessage());
        }
    }

    // ---- paths and helpers

    private Path appsDir() {
        return root.resolve("apps");
    }

    private Path archiveDir() {
        return root.resolve("archive");
    }


    private Path desiredFile(String app) {
        return appDir(app).resolve("desired.json");
    }

    private Path actualFile(String app) {
        return appDir(app).resolve("actual.json");
    }

    private Path revisionsDir(String app) {
        return appDir(app).resolve("revisions");
    }

    private Path revisionFile(String app, int number) {
        if (number < 1) {
            throw new IllegalArgumentException("revision numbers start at 1: " + number);
        }
        return revisionsDir(app).resolve(number + ".json");
    }

    /** Revision numbers with a file, ascending. */
    private List<Integer> revisionNumbers(String app) {
        Path dir = revisionsDir(app);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Integer> numbers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                Matcher m = REVISION_FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    numbers.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw failure("list " + dir, e);
        }
        numbers.sort(Comparator.naturalOrder());
        return numbers;
    }

    private boolean deleteDurably(Path file) {
        try {
            boolean deleted = Files.deleteIfExists(file);
            if (deleted) {
                AtomicFiles.fsyncDirectory(file.getParent());
            }
            return deleted;
        } catch (IOException e) {
            throw failure("delete " + file, e);
        }
    }

    private void fsync(Path dir) {
        try {
            AtomicFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            throw failure("fsync " + dir, e);
        }
    }

    /** App names become path segments: only valid app names ({@link Rules#appName}), so no name can escape {@code apps/}. */
    private static String checkName(String app) {
        return Rules.requireAppName(app);
    }

    private static boolean isBlank(byte[] data) {
        for (byte b : data) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static StateStoreException failure(String what, IOException e) {
        return new StateStoreException("cannot " + what + ": " + e, e);
    }
}
