package dev.orch.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;

/**
 * Writing deployments back out. {@link ManifestLoader} reads every output here back to an equal
 * {@link Deployment}. Field order follows the records; nulls are omitted.
 */
public final class Manifests {
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    // Every string stays double-quoted: no reader can then take "on", "1e3" or "null" for another type.
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .build())
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS) // labels print in a stable order
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Manifests() {}

    /** One YAML document, starting with {@code ---}. */
    public static String toYaml(Deployment deployment) {
        return write(YAML, deployment);
    }

    /** Indented JSON. */
    public static String toJson(Deployment deployment) {
        return write(JSON, deployment);
    }

    /**
     * Canonical JSON of any manifest record (a {@link Deployment}, a {@link Template}, ...): keys sorted,
     * nulls omitted, no whitespace. Equal values give equal strings, so it is what revision hashes are taken of.
     */
    public static String canonicalJson(Object manifestValue) {
        return write(CANONICAL, manifestValue);
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
