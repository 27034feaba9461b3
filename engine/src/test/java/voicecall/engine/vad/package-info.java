/** Tests of voice activity and end-of-speech detection. */
@NullMarked
package voicecall.engine.vad;

import org.jspecify.annotations.NullMarked;
