/** Benchmarks: main classes that time Oddball against its peers on this machine and print a table. */
package io.oddball.bench;
