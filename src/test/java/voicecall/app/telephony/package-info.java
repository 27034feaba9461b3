/** Tests of {@code voicecall.app.telephony}. */
@NullMarked
package voicecall.app.telephony;

import org.jspecify.annotations.NullMarked;
