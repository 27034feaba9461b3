/** Tests of {@code voicecall.engine.call}. */
@NullMarked
package voicecall.engine.call;

import org.jspecify.annotations.NullMarked;
