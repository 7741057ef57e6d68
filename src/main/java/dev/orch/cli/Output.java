package dev.orch.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** {@code -o yaml|json}: the API's objects as they are, with ISO-8601 times. */
final class Output {
    private Output() {}

    static String format(Object value, String format) {
        ObjectMapper m = mapper(format);
        try {
            String s = m.writeValueAsString(value);
            return s.endsWith("\n") ? s : s + "\n";
        } catch (JsonProcessingException e) {
            throw new CliException("cannot print as " + format + ": " + e.getMessage(), e);
        }
    }

    /** The value as the JSON tree {@link #format} would print (ISO times, no nulls). */
    static com.fasterxml.jackson.databind.JsonNode tree(Object value) {
        return mapper("json").valueToTree(value);
    }

    private static ObjectMapper mapper(String format) {
        ObjectMapper m = format.equals("yaml")
                ? new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())
                : new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        m.registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return m;
    }
}
