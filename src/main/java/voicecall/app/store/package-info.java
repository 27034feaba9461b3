/** Persistence over R2DBC: schema migrations and, later, the stores of knowledge and calls. */
@NullMarked
package voicecall.app.store;

import org.jspecify.annotations.NullMarked;
