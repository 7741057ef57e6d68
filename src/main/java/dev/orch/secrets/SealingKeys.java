package dev.orch.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host's age identities under {@code <stateDir>/sealing-keys} (directory 0700, files 0600): {@code key-0001.txt},
 * {@code key-0002.txt}... All are kept, so values sealed before a rotation still open; the newest seals.
 */
public final class SealingKeys {
    public static final String DIR = "sealing-keys";
    private static final Pattern FILE = Pattern.compile("key-(\\d{4,})\\.txt");
    private static final Pattern PUBLIC = Pattern.compile("(?m)^# public key: (age1[0-9a-z]+)$");

    /** One identity: its number, public recipient and file. */
    public record Key(int number, String recipient, Path file) {}

    private final Path dir;
    private final AgeTool age;

    public SealingKeys(Path stateDir, AgeTool age) {
        this.dir = stateDir.resolve(DIR);
        this.age = age;
    }

    /** Creates the first key when there is none (orchd's first start). */
    public synchronized void ensure() {
        if (list().isEmpty()) {
            rotate();
        }
    }

    /** Adds a new newest key; the older ones stay for opening. */
    public synchronized Key rotate() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            List<Key> keys = list();
            int next = keys.isEmpty() ? 1 : keys.get(keys.size() - 1).number() + 1;
            String identity = age.newIdentity();
            String recipient = recipientOf(identity);
            Path tmp = dir.resolve(".new-key.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, identity, StandardCharsets.UTF_8);
            Path file = dir.resolve(String.format("key-%04d.txt", next));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return new Key(next, recipient, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a sealing key in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Oldest first. */
    public synchronized List<Key> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Key> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                Matcher m = FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    keys.add(new Key(Integer.parseInt(m.group(1)), recipientOf(Files.readString(p)), p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sealing keys in " + dir + ": " + e.getMessage(), e);
        }
        keys.sort((a, b) -> Integer.compare(a.number(), b.number()));
        return keys;
    }

    public Key newest() {
        List<Key> keys = list();
        if (keys.isEmpty()) {
            throw new IllegalStateException("no sealing key in " + dir);
        }
        return keys.get(keys.size() - 1);
    }

    public List<Path> identityFiles() {
        return list().stream().map(Key::file).toList();
    }

    static String recipientOf(String identityText) {
        Matcher m = PUBLIC.matcher(identityText);
        if (!m.find()) {
            throw new IllegalStateException("an age identity without its '# public key:' line");
        }
        return m.group(1);
    }
}
