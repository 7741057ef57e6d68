package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One problem in a manifest, located like a compiler error.
 *
 * @param file the source as given to the loader (a path, {@code <stdin>}, or an API source name)
 * @param line 1-based line
 * @param column 1-based column
 * @param field dotted field path such as {@code spec.template.env[2].name}; empty for problems of the file
 *     itself (YAML syntax, size and nesting limits)
 * @param message what is wrong and what is allowed
 */
@RegisterForReflection
public record ManifestError(String file, int line, int column, String field, String message) {
    public ManifestError {
        field = field == null ? "" : field;
    }

    /** {@code FILE:LINE:COL: field.path: message}, or {@code FILE:LINE:COL: message} when there is no field. */
    @Override
    public String toString() {
        String where = file + ":" + line + ":" + column + ": ";
        return field.isEmpty() ? where + message : where + field + ": " + message;
    }
}
