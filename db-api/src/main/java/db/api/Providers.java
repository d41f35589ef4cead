package db.api;

import java.util.List;

/**
 * The providers {@link Database#open(DbConfig)} selected, by {@code name()}.
 *
 * @param sessionProvider the session provider's name
 * @param errorMappers    the error mappers' names, in the order they are asked (the core's
 *                        fallback {@code "sqlstate-class"} last)
 * @param instrumenters   the instrumenters' names, in order
 */
public record Providers(String sessionProvider, List<String> errorMappers, List<String> instrumenters) {

    /**
     * Copies the lists.
     *
     * @param sessionProvider the session provider's name
     * @param errorMappers the error mappers' names, in the order they are asked (the core's fallback {@code
     *     "sqlstate-class"} last)
     * @param instrumenters the instrumenters' names, in order
     */
    public Providers {
        errorMappers = List.copyOf(errorMappers);
        instrumenters = List.copyOf(instrumenters);
    }
}
