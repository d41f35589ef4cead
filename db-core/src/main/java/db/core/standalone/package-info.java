/**
 * For a provider's own tests and for tools, not for applications: {@link db.core.standalone.StandaloneContext}
 * gives a {@link db.api.spi.PoolContext} outside a {@link db.api.Database}, so a pool can be started and
 * checked on its own.
 */
package db.core.standalone;
