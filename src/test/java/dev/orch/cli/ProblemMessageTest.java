package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** A refused request is printed with its problem's detail and every line of its {@code errors}. */
class ProblemMessageTest {
    @Test
    void theDetailThenEveryErrorLine() {
        String body = """
                {"type":"about:blank","title":"Unprocessable Content","status":422,
                 "detail":"2 error(s) in the manifests; nothing was applied",
                 "errors":["<request>:3:9: metadata.name: must be a DNS label","<request>:9:11: spec.route.port: 70000 is not a port (1-65535)"]}""";
        String m = ApiClient.problemMessage(new ApiClient.Response(422, "application/problem+json", Buffer.buffer(body)));
        assertThat(m.lines()).containsExactly(
                "orchd answered 422: 2 error(s) in the manifests; nothing was applied",
                "<request>:3:9: metadata.name: must be a DNS label",
                "<request>:9:11: spec.route.port: 70000 is not a port (1-65535)");
    }

    @Test
    void aBodyThatIsNotJsonIsShownAsItCame() {
        String m = ApiClient.problemMessage(new ApiClient.Response(502, "text/plain", Buffer.buffer("bad gateway\n")));
        assertThat(m).isEqualTo("orchd answered 502: bad gateway");
    }
}
