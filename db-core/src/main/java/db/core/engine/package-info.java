/**
 * The engine (not exported): {@link db.core.engine.CoreEngine} opens a {@link db.api.Database} for the
 * providers {@code db.api} found, and everything that runs behind it lives here.
 */
package db.core.engine;
