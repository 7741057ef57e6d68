package dev.orch.source;

import static dev.orch.source.TestRepo.manifest;
import static dev.orch.testing.SigningKeys.Signature.GPG_TRUSTED;
import static dev.orch.testing.SigningKeys.Signature.GPG_UNTRUSTED;
import static dev.orch.testing.SigningKeys.Signature.NONE;
import static dev.orch.testing.SigningKeys.Signature.SSH_TRUSTED;
import static dev.orch.testing.SigningKeys.Signature.SSH_UNTRUSTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.state.StateStore;
import dev.orch.testing.SigningKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed-commit verification of a git source against real keys ({@code gpg}, {@code ssh-keygen}) and commits signed
 * by the {@code git} command: what is applied, what is refused and why, and the explicit reset of a rewritten branch.
 */
class SignedCommitsTest {
    @TempDir
    Path tmp;

    SigningKeys keys;
    Path work;
    StateStore store;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GitSources sources;

    @BeforeEach
    void setUp() throws Exception {
        keys = new SigningKeys(tmp.resolve("keys"));
        work = tmp.resolve("work");
        keys.run(tmp, "git", "init", "-q", "-b", "main", work.toString());
        store = new StateStore(tmp.resolve("state"));
        GitRepoSpec spec = GitRepoSpec.of("apps", work.toUri().toString(), "main", "apps")
                .withVerify(VerifySpec.checked("apps", true, List.of(keys.trustedGpgKey()), keys.allowedSigners()));
        sources = new GitSources(List.of(spec), store, new RecordingEvents().intake(store), Clock.systemUTC(), registry);
    }

    @AfterEach
    void tearDown() throws Exception {
        sources.close();
        keys.close();
    }

    String commit(String greeting, SigningKeys.Signature sig) throws Exception {
        Files.createDirectories(work.resolve("apps"));
        Files.writeString(work.resolve("apps/web.yaml"), manifest("web", 8080, greeting));
        return keys.commit(work, "web " + greeting, sig);
    }

    SyncResult sync() {
        return sources.syncNow(List.of()).get(0);
    }

    String desiredRevision() {
        return store.readDesired("web").orElseThrow().source().revision();
    }

    SourceCondition verified() {
        return sources.statuses().get(0).conditions().stream().filter(c -> c.type().equals("SourceVerified")).findFirst().orElseThrow();
    }

    double failures(String reason) {
        var c = registry.find("orch_git_verification_failures").tags("repo", "apps", "reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aTipSignedByTheTrustedOpenPgpKeyIsAppliedAndTheSignerShows() throws Exception {
        String c1 = commit("v1", GPG_TRUSTED);

        SyncResult r = sync();

        assertThat(r.result()).isEqualTo(SyncResult.SYNCED);
        assertThat(desiredRevision()).isEqualTo("main@sha1:" + c1);
        assertThat(r.signer()).isEqualTo(SigningKeys.TRUSTED_UID);
        assertThat(r.author()).isEqualTo("Dev Eloper <dev@example.com>");
        assertThat(verified()).extracting(SourceCondition::status, SourceCondition::reason, SourceCondition::commit, SourceCondition::signer)
                .containsExactly("True", "Verified", c1, SigningKeys.TRUSTED_UID);
        assertThat(sources.commitInfo("main@sha1:" + c1)).contains(new CommitInfo("Dev Eloper <dev@example.com>", SigningKeys.TRUSTED_UID));
        assertThat(store.readAudit("web", 10)).singleElement().satisfies(a ->
                assertThat(a.actor()).isEqualTo("git " + c1.substring(0, 12) + " Dev Eloper <dev@example.com> signed by " + SigningKeys.TRUSTED_UID));
    }

    @Test
    void afterARestartTheAppliedCommitsSignerShowsAgain() throws Exception {
        String c1 = commit("v1", SSH_TRUSTED);
        sync();
        sources.close();
        sources = new GitSources(List.of(GitRepoSpec.of("apps", work.toUri().toString(), "main", "apps")
                .withVerify(VerifySpec.checked("apps", true, List.of(keys.trustedGpgKey()), keys.allowedSigners()))), store,
                new RecordingEvents().intake(store), Clock.systemUTC(), registry);

        assertThat(sources.commitInfo("main@sha1:" + c1)).isEmpty();
        assertThat(sync().result()).isEqualTo(SyncResult.UNCHANGED);
        assertThat(verified()).extracting(SourceCondition::status, SourceCondition::commit, SourceCondition::signer)
                .containsExactly("True", c1, SigningKeys.SSH_PRINCIPAL);
        // what notifications of web's rollout events name
        assertThat(sources.commitInfo("main@sha1:" + c1)).contains(new CommitInfo("Dev Eloper <dev@example.com>", SigningKeys.SSH_PRINCIPAL));
    }

    @Test
    void anUntrustedOpenPgpTipIsRefusedAndTheLastGoodCommitKept() throws Exception {
        String c1 = commit("v1", GPG_TRUSTED);
        sync();
        String bad = commit("v2", GPG_UNTRUSTED);

        SyncResult r = sync();

        assertThat(r.result()).isEqualTo(SyncResult.FAILED);
        assertThat(r.revision()).isEqualTo("main@sha1:" + c1);
        assertThat(desiredRevision()).isEqualTo("main@sha1:" + c1);
        SourceCondition v = verified();
        assertThat(v).extracting(SourceCondition::status, SourceCondition::reason, SourceCondition::commit)
                .containsExactly("False", "UntrustedSigner", bad);
        assertThat(v.signer()).startsWith("key ").hasSize(4 + 16); // gpg names only the key id of a key it does not hold
        RepoStatus s = sources.statuses().get(0);
        assertThat(s.ready()).isEqualTo("False");
        assertThat(s.reason()).isEqualTo("VerificationFailed");
        assertThat(s.message()).startsWith("refusing main@sha1:" + bad + ": " + bad.substring(0, 12) + " is signed by key ");
        assertThat(failures("UntrustedSigner")).isEqualTo(1.0);
        assertThat(r.verificationFailed()).isTrue();
    }

    @Test
    void anUnsignedTipIsRefused() throws Exception {
        String c1 = commit("v1", GPG_TRUSTED);
        sync();
        String unsigned = commit("v2", NONE);

        SyncResult r = sync();

        assertThat(r.result()).isEqualTo(SyncResult.FAILED);
        assertThat(desiredRevision()).isEqualTo("main@sha1:" + c1);
        assertThat(verified()).extracting(SourceCondition::status, SourceCondition::reason, SourceCondition::commit, SourceCondition::signer)
                .containsExactly("False", "Unsigned", unsigned, null);
        assertThat(failures("Unsigned")).isEqualTo(1.0);
        // still refused at the next poll, and counted again
        sync();
        assertThat(failures("Unsigned")).isEqualTo(2.0);
        assertThat(desiredRevision()).isEqualTo("main@sha1:" + c1);
    }

    @Test
    void sshSignaturesAreCheckedAgainstAllowedSigners() throws Exception {
        String c1 = commit("v1", SSH_TRUSTED);
        SyncResult ok = sync();
        assertThat(ok.result()).isEqualTo(SyncResult.SYNCED);
        assertThat(ok.signer()).isEqualTo(SigningKeys.SSH_PRINCIPAL);
        assertThat(desiredRevision()).isEqualTo("main@sha1:" + c1);

        String bad = commit("v2", SSH_UNTRUSTED);
        SyncResult r = sync();

        assertThat(r.result()).isEqualTo(SyncResult.FAILED);
        assertThat(desiredRevision()).isEqualTo("main@sha1:" + c1);
        assertThat(verified()).extracting(SourceCondition::status, SourceCondition::reason, SourceCondition::commit)
                .containsExactly("False", "UntrustedSigner", bad);
        assertThat(verified().signer()).startsWith("key SHA256:");
    }

    @Test
    void aForcePushToAnOlderSignedCommitIsRefusedUntilReset() throws Exception {
        String c1 = commit("v1", GPG_TRUSTED);
        sync();
        String c2 = commit("v2", SSH_TRUSTED);
        sync();
        assertThat(desiredRevision()).isEqualTo("main@sha1:" + c2);
        keys.run(work, "git", "reset", "-q", "--hard", c1);

        SyncResult r = sync();

        assertThat(r.result()).isEqualTo(SyncResult.FAILED);
        assertThat(sources.statuses().get(0).reason()).isEqualTo("HistoryRewritten");
        assertThat(r.message()).contains("orchctl source reset apps");
        assertThat(desiredRevision()).isEqualTo("main@sha1:" + c2);
        assertThat(sync().result()).isEqualTo(SyncResult.FAILED); // not by waiting

        SyncResult reset = sources.reset("apps");

        assertThat(reset.result()).isEqualTo(SyncResult.SYNCED);
        assertThat(desiredRevision()).isEqualTo("main@sha1:" + c1);
        assertThat(sources.statuses().get(0).ready()).isEqualTo("True");
        assertThat(sync().result()).isEqualTo(SyncResult.UNCHANGED);
    }

    @Test
    void aResetStillRefusesAnUntrustedTip() throws Exception {
        commit("v1", GPG_TRUSTED);
        sync();
        String c2 = commit("v2", GPG_TRUSTED);
        sync();
        keys.run(work, "git", "reset", "-q", "--hard", "HEAD~1");
        commit("v3", GPG_UNTRUSTED);

        SyncResult reset = sources.reset("apps");

        assertThat(reset.result()).isEqualTo(SyncResult.FAILED);
        assertThat(verified().reason()).isEqualTo("UntrustedSigner");
        assertThat(desiredRevision()).isEqualTo("main@sha1:" + c2);
        assertThat(sync().message()).contains("was rewritten"); // the reset was not remembered
    }

    @Test
    void verifyWithoutKeysIsRefusedAtStartUp() {
        assertThatThrownBy(() -> VerifySpec.checked("apps", true, List.of(), null))
                .hasMessage("orch.git.repos.apps.verify=true needs trusted keys: set orch.git.repos.apps.trusted-keys (armored OpenPGP public"
                        + " key files, comma-separated) and/or orch.git.repos.apps.allowed-signers-file (an ssh allowed_signers file)");
        assertThat(VerifySpec.checked("apps", false, List.of(), null).enabled()).isFalse();
    }

    @Test
    void gitsSignatureCodesMapToReasons() {
        String c = "0123456789abcdef0123456789abcdef01234567";
        assertThat(Verdict.of("G", "A <a@x>", "K", c)).extracting(Verdict::trusted, Verdict::reason).containsExactly(true, "Verified");
        assertThat(Verdict.of("B", "A <a@x>", "K", c).reason()).isEqualTo("BadSignature");
        assertThat(Verdict.of("X", "A <a@x>", "K", c).reason()).isEqualTo("ExpiredSignature");
        assertThat(Verdict.of("Y", "A <a@x>", "K", c).reason()).isEqualTo("ExpiredKey");
        assertThat(Verdict.of("R", "A <a@x>", "K", c).reason()).isEqualTo("RevokedKey");
        assertThat(Verdict.of("U", "", "K", c)).extracting(Verdict::trusted, Verdict::reason, Verdict::signer).containsExactly(false, "UntrustedSigner", "key K");
        assertThat(Verdict.of("E", "", "", c).reason()).isEqualTo("CannotVerify");
        assertThat(Verdict.of("N", "", "", c)).extracting(Verdict::trusted, Verdict::reason, Verdict::signer).containsExactly(false, "Unsigned", null);
    }
}
