/**
 * An application on the module path: it needs Switchboard's API only. The pool, the PostgreSQL error
 * mapper and the tracer are service providers that the POM puts on the module path at runtime.
 */
module com.acme.shop {
    requires db.api;
}
