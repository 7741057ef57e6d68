package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kubectl's resource arguments and equality-based label selectors. */
class ResourceArgsTest {
    @Test
    void everyWayToNameApps() {
        assertThat(ResourceArgs.parse(List.of("apps"))).isEqualTo(new ResourceArgs(true, List.of()));
        assertThat(ResourceArgs.parse(List.of("app"))).isEqualTo(new ResourceArgs(true, List.of()));
        assertThat(ResourceArgs.parse(List.of("deploy"))).isEqualTo(new ResourceArgs(true, List.of()));
        assertThat(ResourceArgs.parse(List.of("app", "web"))).isEqualTo(new ResourceArgs(false, List.of("web")));
        assertThat(ResourceArgs.parse(List.of("apps", "web", "api"))).isEqualTo(new ResourceArgs(false, List.of("web", "api")));
        assertThat(ResourceArgs.parse(List.of("Deployment", "web"))).isEqualTo(new ResourceArgs(false, List.of("web")));
        assertThat(ResourceArgs.parse(List.of("app/web"))).isEqualTo(new ResourceArgs(false, List.of("web")));
        assertThat(ResourceArgs.parse(List.of("app/web", "deployment.orch.dev/api"))).isEqualTo(new ResourceArgs(false, List.of("web", "api")));
        assertThat(ResourceArgs.parse(List.of("web"))).isEqualTo(new ResourceArgs(false, List.of("web")));
    }

    @Test
    void unknownTypesAndEmptyArgumentsAreUsageErrors() {
        assertThatThrownBy(() -> ResourceArgs.parse(List.of())).hasMessageStartingWith("you must specify the type of resource");
        assertThatThrownBy(() -> ResourceArgs.parse(List.of("pods", "web")))
                .hasMessage("unknown resource type \"pods\": use apps (or app, deployment, deploy)");
        assertThatThrownBy(() -> ResourceArgs.parse(List.of("pods/web")))
                .hasMessage("unknown resource type \"pods\": use apps (or app, deployment, deploy)");
        assertThatThrownBy(() -> ResourceArgs.parse(List.of("app", "app/web"))).hasMessageStartingWith("there is no need to specify a resource type");
    }

    @Test
    void labelSelectors() {
        Map<String, String> web = Map.of("tier", "web", "env", "prod");
        Map<String, String> none = Map.of();
        assertThat(LabelSelector.parse("tier=web").matches(web)).isTrue();
        assertThat(LabelSelector.parse("tier==web").matches(web)).isTrue();
        assertThat(LabelSelector.parse("tier=api").matches(web)).isFalse();
        assertThat(LabelSelector.parse("tier=web,env!=dev").matches(web)).isTrue();
        assertThat(LabelSelector.parse("tier=web, env!=prod").matches(web)).isFalse();
        assertThat(LabelSelector.parse("env!=prod").matches(none)).isTrue(); // as Kubernetes: a missing key is "not equal"
        assertThat(LabelSelector.parse("tier").matches(web)).isTrue();
        assertThat(LabelSelector.parse("tier").matches(none)).isFalse();
        assertThat(LabelSelector.parse("!tier").matches(none)).isTrue();
        assertThat(LabelSelector.parse("!tier").matches(web)).isFalse();
        assertThat(LabelSelector.parse("app.kubernetes.io/name=web").matches(Map.of("app.kubernetes.io/name", "web"))).isTrue();
        assertThatThrownBy(() -> LabelSelector.parse("tier=web,")).hasMessageStartingWith("unable to parse requirement \"\" of label selector");
        assertThatThrownBy(() -> LabelSelector.parse("a=b=c")).hasMessageStartingWith("unable to parse requirement \"a=b=c\"");
    }
}
