/** The exception family every Oddball component throws: one unchecked root, one subclass per kind of problem. Stable. */
package io.oddball.api.error;
