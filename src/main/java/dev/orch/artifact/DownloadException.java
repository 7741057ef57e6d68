package dev.orch.artifact;

import java.io.IOException;

/** A download that did not yield the verified artifact; the message names the URL and the cause. */
public class DownloadException extends IOException {
    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }

    public DownloadException(String message) {
        super(message);
    }
}
