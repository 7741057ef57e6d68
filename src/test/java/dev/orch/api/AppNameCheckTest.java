package dev.orch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

/** App names in API paths follow the manifest's rule (dev.orch.manifest.Rules), with one clear 400 message. */
class AppNameCheckTest {
    static Problem refused(String name) {
        WebApplicationException e = catchThrowableOfType(WebApplicationException.class, () -> AppsResource.checkName(name));
        assertThat(e).as(name).isNotNull();
        assertThat(e.getResponse().getStatus()).isEqualTo(400);
        return (Problem) e.getResponse().getEntity();
    }

    @Test
    void theManifestRuleWithOneMessage() {
        assertThat(AppsResource.checkName("a".repeat(26))).isEqualTo("a".repeat(26));
        assertThat(refused("Web").detail()).isEqualTo("invalid app name \"Web\": use an RFC 1123 label: lowercase letters,"
                + " digits and '-', starting and ending with a letter or digit");
        assertThat(refused("a".repeat(27)).detail()).startsWith("invalid app name \"" + "a".repeat(27) + "\": must be 1 to 26 characters long");
    }
}
