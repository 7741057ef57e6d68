package dev.orch.route;

/** A route could not bind its port: the message names the app, address and cause. */
public class RouteBindException extends RuntimeException {
    public RouteBindException(String message, Throwable cause) {
        super(message, cause);
    }
}
