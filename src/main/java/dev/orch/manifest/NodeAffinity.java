package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code spec.nodeAffinity}: set-based host requirements, all of which must hold (Kubernetes'
 * {@code matchExpressions} without the scheduling-time wrappers).
 */
@RegisterForReflection
public record NodeAffinity(List<MatchExpression> matchExpressions) {
    public static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

    public NodeAffinity {
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    /** @param values for In and NotIn (at least one); empty for Exists and DoesNotExist */
    @RegisterForReflection
    public record MatchExpression(String key, String operator, List<String> values) {
        public MatchExpression {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }
}
