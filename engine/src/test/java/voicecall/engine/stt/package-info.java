/** Tests of the recogniser, the language model generator and the dictionary. */
@NullMarked
package voicecall.engine.stt;

import org.jspecify.annotations.NullMarked;
