package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --reseal rewrites only the ciphertexts, each with its document's app name, and keeps every other byte. */
class ResealTest {
    @Test
    void rewritesEverySealedValueInPlace() {
        String text = """
                # the web app
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    env:
                      - name: A
                        value: plain
                      - name: DB
                        sealedValue: |
                          -----BEGIN AGE ENCRYPTED FILE-----
                          OLD1
                          -----END AGE ENCRYPTED FILE-----
                    secretFiles:
                      - name: tls.key
                        sealedValue: "-----BEGIN AGE ENCRYPTED FILE-----\\nOLD2\\n-----END AGE ENCRYPTED FILE-----"
                    user: app # kept
                ---
                metadata:
                  name: api
                spec:
                  template:
                    env:
                      - {name: X, sealedValue: "-----BEGIN AGE ENCRYPTED FILE-----\\nOLD3\\n-----END AGE ENCRYPTED FILE-----"}
                """;
        List<String> seen = new ArrayList<>();
        Reseal.Result r = Reseal.rewrite(text, (app, old) -> {
            seen.add(app + ":" + old.lines().toList().get(1));
            return "-----BEGIN AGE ENCRYPTED FILE-----\nNEW-" + old.lines().toList().get(1) + "\n-----END AGE ENCRYPTED FILE-----\n";
        });
        assertThat(r.count()).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrder("web:OLD1", "web:OLD2", "api:OLD3");
        assertThat(r.text()).isEqualTo("""
                # the web app
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    env:
                      - name: A
                        value: plain
                      - name: DB
                        sealedValue: |
                          -----BEGIN AGE ENCRYPTED FILE-----
                          NEW-OLD1
                          -----END AGE ENCRYPTED FILE-----
                    secretFiles:
                      - name: tls.key
                        sealedValue: "-----BEGIN AGE ENCRYPTED FILE-----\\nNEW-OLD2\\n-----END AGE ENCRYPTED FILE-----"
                    user: app # kept
                ---
                metadata:
                  name: api
                spec:
                  template:
                    env:
                      - {name: X, sealedValue: "-----BEGIN AGE ENCRYPTED FILE-----\\nNEW-OLD3\\n-----END AGE ENCRYPTED FILE-----"}
                """);
    }
}
