package dev.orch.source;

import java.nio.file.Path;

/** Checks the signature of a commit of a mirror against a repository's trusted keys. */
interface CommitVerifier {
    /** Never throws: a verifier that cannot run says {@code CannotVerify}. */
    Verdict verify(Path gitDir, String commit);
}
