/**
 * Switchboard's runnable example: a short tour of the API against PostgreSQL. It requires only
 * {@code db.api}; the pool, the error mapper and the tracer arrive as service providers on the
 * module path, so swapping one is a change of the module path, not of this code.
 */
module db.example {
    requires db.api;

    exports db.example;
}
