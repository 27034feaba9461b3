/** Tests of {@code voicecall.engine.audio}. */
@NullMarked
package voicecall.engine.audio;

import org.jspecify.annotations.NullMarked;
