package dev.orch.cli;

import dev.orch.manifest.LoadResult;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.ManifestError;
import dev.orch.manifest.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code -f FILE|DIR|-} as kubectl has it, loaded and validated locally with real file names and lines. */
final class ManifestArgs {
    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
            description = "Manifest file, directory (recursive, *.yaml|*.yml) or - for stdin; repeatable.")
    List<String> files;

    /** Every manifest, or a CliException listing every error (FILE:LINE:COL: field: message). */
    List<LoadedManifest> load() {
        ManifestLoader loader = new ManifestLoader();
        List<LoadedManifest> all = new ArrayList<>();
        List<ManifestError> errors = new ArrayList<>();
        for (String f : files) {
            LoadResult r;
            if (f.equals("-")) {
                r = loader.load(ManifestLoader.STDIN, System.in);
            } else {
                Path p = Path.of(f);
                if (!Files.exists(p)) {
                    throw new CliException("the path \"" + f + "\" does not exist");
                }
                r = loader.load(p);
            }
            all.addAll(r.manifests());
            errors.addAll(r.errors());
        }
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (ManifestError e : errors) {
                sb.append(e).append('\n');
            }
            throw new InvalidManifests(sb.toString().stripTrailing(), errors.size());
        }
        if (all.isEmpty()) {
            throw new CliException("no objects passed to apply: " + String.join(", ", files) + " holds no Deployment");
        }
        return all;
    }

    /** Several lines, printed as they are (one per error), then a summary line. */
    static final class InvalidManifests extends CliException {
        InvalidManifests(String lines, int count) {
            super(lines + "\nerror: " + count + " error(s) in the manifests; nothing was applied");
        }
    }
}
