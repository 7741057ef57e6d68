package dev.orch.source;

import dev.orch.intake.Pin;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.Manifests;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a repository last said ({@code <state>/git/<name>.json}): the commit last synced and, per app it defines,
 * the file, the revision and a hash of the manifest git holds for it (the manifest itself lives in the desired
 * state and the revisions, not a third time here). Compared with the next commit to find what changed, and the
 * basis of ownership ({@code orchctl apply} is refused for these apps).
 *
 * @param commit last synced commit (40 hex), null before the first sync
 * @param apps app name to its last good definition in git
 * @param held apps whose file failed to load in {@code commit}: they keep their last good definition
 * @param pins apps held by hand against this repository ({@code rollout undo}, {@code delete --force-conflicts})
 *     until a commit changes them
 */
@RegisterForReflection
public record RepoRecord(String commit, Map<String, AppRecord> apps, Set<String> held, Map<String, Pin> pins) {
    public static final RepoRecord EMPTY = new RepoRecord(null, Map.of(), Set.of());

    public RepoRecord {
        apps = apps == null ? Map.of() : new TreeMap<>(apps);
        held = held == null ? Set.of() : new TreeSet<>(held);
        pins = pins == null ? Map.of() : new TreeMap<>(pins);
    }

    public RepoRecord(String commit, Map<String, AppRecord> apps, Set<String> held) {
        this(commit, apps, held, Map.of());
    }

    /** This record with {@code app} pinned (only an app this repository defines). */
    public RepoRecord withPin(String app, Pin pin) {
        if (!apps.containsKey(app)) {
            return this;
        }
        Map<String, Pin> next = new TreeMap<>(pins);
        next.put(app, pin);
        return new RepoRecord(commit, apps, held, next);
    }

    /**
     * @param path file inside the repository, e.g. {@code apps/web.yaml}
     * @param revision {@code <branch>@sha1:<commit>} of the commit that last changed this app
     * @param hash {@link #hashOf} the manifest as git holds it; null when unknown (the next commit then counts as a change)
     */
    @RegisterForReflection
    public record AppRecord(String path, String revision, String hash) {}

    /** {@code sha256:<hex>} of the canonical JSON of a manifest: equal manifests, equal hashes. */
    public static String hashOf(Deployment deployment) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Manifests.canonicalJson(deployment).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
