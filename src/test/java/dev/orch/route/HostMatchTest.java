package dev.orch.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared listeners' matching rules: exact host over wildcard, longer prefix over shorter, whole segments. */
class HostMatchTest {
    private final HostMatch<String> table = new HostMatch<>(List.of(
            new HostMatch.Claim<>("*.example.com", "/", "wild"),
            new HostMatch.Claim<>("*.eu.example.com", "/", "eu-wild"),
            new HostMatch.Claim<>("shop.example.com", "/", "shop"),
            new HostMatch.Claim<>("shop.example.com", "/api", "shop-api"),
            new HostMatch.Claim<>("shop.example.com", "/api/v2/", "shop-api-v2")));

    private String at(String host, String path) {
        HostMatch.Claim<String> c = table.match(host, path);
        return c == null ? null : c.target();
    }

    @Test
    void exactHostWinsOverWildcardAndLongerWildcardOverShorter() {
        assertThat(at("shop.example.com", "/")).isEqualTo("shop");
        assertThat(at("blog.example.com", "/")).isEqualTo("wild");
        assertThat(at("paris.eu.example.com", "/")).isEqualTo("eu-wild");
        assertThat(at("example.com", "/")).as("a wildcard needs a label in front").isNull();
        assertThat(at("other.org", "/")).isNull();
        assertThat(at(null, "/")).isNull();
    }

    @Test
    void longestPrefixWinsOnWholeSegments() {
        assertThat(at("shop.example.com", "/api")).isEqualTo("shop-api");
        assertThat(at("shop.example.com", "/api/cart")).isEqualTo("shop-api");
        assertThat(at("shop.example.com", "/api/v2/items")).isEqualTo("shop-api-v2");
        assertThat(at("shop.example.com", "/api/v2")).as("a trailing slash in the claim is not significant").isEqualTo("shop-api-v2");
        assertThat(at("shop.example.com", "/apix")).as("not a segment boundary").isEqualTo("shop");
    }

    @Test
    void hostHeaderIsComparedWithoutPortCaseOrTrailingDot() {
        assertThat(at("SHOP.Example.com:8443", "/api")).isEqualTo("shop-api");
        assertThat(at("shop.example.com.", "/")).isEqualTo("shop");
    }

    @Test
    void strippingKeepsTheQueryAndAnAbsolutePath() {
        assertThat(HostMatch.strip("/api", "/api/cart?id=1")).isEqualTo("/cart?id=1");
        assertThat(HostMatch.strip("/api", "/api")).isEqualTo("/");
        assertThat(HostMatch.strip("/api", "/api?x=1")).isEqualTo("/?x=1");
        assertThat(HostMatch.strip("/", "/a")).isEqualTo("/a");
    }

    @Test
    void sniLooksUpEveryClaimOfTheHostMostSpecificFirst() {
        assertThat(table.forHost("shop.example.com")).extracting(HostMatch.Claim::target)
                .containsExactly("shop-api-v2", "shop-api", "shop", "wild");
        assertThat(table.forHost("nothing.org")).isEmpty();
    }
}
