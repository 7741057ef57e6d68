package dev.orch.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GitRepoSpecTest {
    @Test
    void pathsAreNormalisedAndMayNotLeaveTheRepository() {
        assertThat(GitRepoSpec.of("apps", "file:///r", "main", "./apps/").path()).isEqualTo("apps");
        assertThat(GitRepoSpec.of("apps", "file:///r", "main", ".").path()).isEmpty();
        assertThat(GitRepoSpec.of("apps", "file:///r", null, null).branch()).isEqualTo("main");
        assertThatThrownBy(() -> GitRepoSpec.of("apps", "file:///r", "main", "apps/../../etc")).hasMessageContaining("no '..'");
        assertThatThrownBy(() -> GitRepoSpec.of("Apps!", "file:///r", "main", ".")).hasMessageContaining("invalid git repository name");
    }

    @Test
    void passwordsInUrlsAreNeverShown() {
        assertThat(GitRepoSpec.of("a", "https://bot:s3cret@git.example.com/team/apps.git", "main", ".").displayUrl())
                .isEqualTo("https://git.example.com/team/apps.git");
        assertThat(GitRepoSpec.of("a", "ssh://git@git.example.com/apps.git", "main", ".").displayUrl())
                .isEqualTo("ssh://git@git.example.com/apps.git");
    }
}
