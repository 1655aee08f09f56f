// SPDX-License-Identifier: MIT
// libFuzzer entry point: the bytes are a journal row as a workspace file holds it. The
// first byte says how many transitions the row claims (1 to 4); the rest is the payload,
// binary (format 2) or JSON (format 1). Reading must refuse or decode, never crash or
// hang, and whatever decodes must survive being written and read again unchanged.

#include "storage/journalcodec.h"
#include "storage/journaljson.h"

#include <QJsonValue>
#include <cstdlib>

using namespace objectsync;
using namespace objectsync::storage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const quint64 count = quint64(data[0] % 4) + 1;
    const QByteArray payload(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const auto decoded = decodeRow(payload, 7, 7 + count - 1);
    if (!decoded) {
        if (decoded.errorMessage().isEmpty())
            std::abort(); // every refusal says why
    } else {
        ByteBuffer again;
        again += rowTag;
        for (const JournalTransition &t : *decoded)
            encodeTransition(again, t.transition);
        const auto twice = decodeRow(again.view(), 7, 7 + count - 1);
        if (!twice || twice->size() != decoded->size())
            std::abort();
        for (qsizetype i = 0; i < decoded->size(); ++i) {
            const Transition &a = decoded->at(i).transition;
            const Transition &b = twice->at(i).transition;
            if (a.origin != b.origin || a.actionId != b.actionId || a.kind != b.kind ||
                a.changes != b.changes)
                std::abort();
        }
    }
    if (payload.startsWith('[')) {
        const auto json = decodeTransitions(payload);
        if (!json && json.errorMessage().isEmpty())
            std::abort();
    }
    return 0;
}
