package dev.orch.state;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what one logger emits (jboss-logging ends in java.util.logging under the JBoss LogManager). */
final class LogCapture extends Handler implements AutoCloseable {
    record Line(Level level, String message) {}

    private final Logger logger;
    final List<Line> lines = new CopyOnWriteArrayList<>();

    LogCapture(Class<?> source) {
        this.logger = Logger.getLogger(source.getName());
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        String msg = r.getMessage();
        if (r.getParameters() != null && r.getParameters().length > 0 && msg != null) {
            msg = String.format(msg, r.getParameters());
        }
        lines.add(new Line(r.getLevel(), msg));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
