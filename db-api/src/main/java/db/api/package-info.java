/**
 * Switchboard's application API: {@link db.api.Database} and the {@link db.api.Db} singleton,
 * {@link db.api.Session}, {@link db.api.DbConfig}, {@link db.api.TxOptions} and the unchecked
 * exception hierarchy rooted at {@link db.api.DataAccessException}.
 */
package db.api;
