package dev.orch.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The Prometheus client escapes double quotes in HELP lines ({@code \"}), which the text format does not allow
 * there: {@code promtool check metrics} (and strict parsers) reject the whole scrape. Micrometer's own
 * {@code system_cpu_usage} has quotes in its description, so quotes become single quotes for every meter.
 */
@Singleton
public class HelpTextFilter {
    @Produces
    @Singleton
    public MeterFilter noDoubleQuotesInHelp() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String d = id.getDescription();
                if (d == null || d.indexOf('"') < 0) {
                    return id;
                }
                return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                        d.replace('"', '\''), id.getType());
            }
        };
    }
}
