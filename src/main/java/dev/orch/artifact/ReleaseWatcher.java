package dev.orch.artifact;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Watches the directories of the apps' {@code artifact.path} files with the JDK's watch service (inotify on
 * Linux). A change settles once no process has the file open for writing and nothing changed for
 * {@link #QUIET_MILLIS}; then the apps reading that file are woken, so a burst of writes or a slow upload is one
 * new revision, started after the upload is complete, and a {@code mv} into place rolls out at once.
 */
public final class ReleaseWatcher implements UploadWatch, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReleaseWatcher.class);
    static final long QUIET_MILLIS = 250;
    /** A file changed this recently and open for writing counts as being uploaded even before its event came. */
    static final long RECENT_MILLIS = 5_000;

    private final Consumer<String> wake;
    private final WatchService watcher;
    private final Map<String, Path> fileByApp = new ConcurrentHashMap<>();
    private final Map<Path, WatchKey> keyByDir = new ConcurrentHashMap<>();
    /** Files with a change that has not settled yet, and when it was last seen changing (nanoTime). */
    private final Map<Path, Long> changing = new ConcurrentHashMap<>();
    private volatile Thread thread;

    /** @param wake enqueues an app for a reconcile */
    public ReleaseWatcher(Consumer<String> wake) throws IOException {
        this.wake = wake;
        this.watcher = FileSystems.getDefault().newWatchService();
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name("release-watch").start(this::run);
    }

    @Override
    public void watch(String app, Path file) {
        Path f = file == null ? null : file.toAbsolutePath().normalize();
        Path old = f == null ? fileByApp.remove(app) : fileByApp.put(app, f);
        if (f != null && !keyByDir.containsKey(f.getParent())) {
            keyByDir.computeIfAbsent(f.getParent(), d -> {
                try {
                    return d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE);
                } catch (IOException | ClosedWatchServiceException e) {
                    LOG.debugf("cannot watch %s (picked up at the next resync instead): %s", d, e.getMessage());
                    return null;
                }
            });
        }
        if (old != null && !old.equals(f) && fileByApp.values().stream().noneMatch(p -> p.getParent().equals(old.getParent()))) {
            WatchKey k = keyByDir.remove(old.getParent());
            if (k != null) {
                k.cancel();
            }
        }
    }

    @Override
    public boolean uploading(Path file) {
        Path f = file.toAbsolutePath().normalize();
        if (changing.containsKey(f)) {
            return true;
        }
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(f).toMillis();
            return age < RECENT_MILLIS && OpenWriters.anyWriter(f);
        } catch (IOException e) {
            return false; // missing: the observer says so
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.poll(changing.isEmpty() ? 1000 : 50, TimeUnit.MILLISECONDS);
                if (key != null) {
                    Path dir = (Path) key.watchable();
                    for (WatchEvent<?> e : key.pollEvents()) {
                        if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                            fileByApp.values().stream().filter(p -> p.getParent().equals(dir)).forEach(this::changed);
                        } else {
                            changed(dir.resolve((Path) e.context()));
                        }
                    }
                    key.reset();
                }
                settle();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void changed(Path file) {
        if (fileByApp.containsValue(file)) {
            changing.put(file, System.nanoTime());
        }
    }

    private void settle() {
        long now = System.nanoTime();
        for (Map.Entry<Path, Long> c : changing.entrySet()) {
            if (now - c.getValue() >= TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS) && !OpenWriters.anyWriter(c.getKey())
                    && changing.remove(c.getKey(), c.getValue())) {
                List<String> apps = fileByApp.entrySet().stream().filter(e -> e.getValue().equals(c.getKey())).map(Map.Entry::getKey).toList();
                LOG.debugf("%s settled: waking %s", c.getKey(), apps);
                apps.forEach(wake);
            }
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException ignored) {
            // closing
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
