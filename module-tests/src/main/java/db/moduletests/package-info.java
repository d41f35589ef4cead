/**
 * Support code of Switchboard's module tests: {@link db.moduletests.Layers} builds module layers
 * for swapping providers in one JVM, and {@link db.moduletests.RecordingInstrumenter} records what
 * the core reports to instrumenters.
 */
package db.moduletests;
