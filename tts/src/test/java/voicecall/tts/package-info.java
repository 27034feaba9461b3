/** Tests of the speech output. */
@NullMarked
package voicecall.tts;

import org.jspecify.annotations.NullMarked;
