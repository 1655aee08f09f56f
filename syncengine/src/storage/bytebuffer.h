// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <cstring>
#include <memory>
#include <utility>

namespace objectsync::storage {

/*!
 * A growable byte buffer for encoders: appends are inline, and an encoder may claim room
 * for its longest output and commit what it used, with no initialization of the claimed
 * bytes. clear() keeps the memory, so that a buffer can be reused without allocating.
 */
class ByteBuffer
{
public:
    ByteBuffer() = default;
    ByteBuffer(ByteBuffer &&other) noexcept
        : m_data(std::move(other.m_data)), m_size(std::exchange(other.m_size, 0)),
          m_capacity(std::exchange(other.m_capacity, 0))
    {}
    ByteBuffer &operator=(ByteBuffer &&other) noexcept
    {
        m_data = std::move(other.m_data);
        m_size = std::exchange(other.m_size, 0);
        m_capacity = std::exchange(other.m_capacity, 0);
        return *this;
    }

    void clear() { m_size = 0; }
    qsizetype size() const { return qsizetype(m_size); }
    size_t capacity() const { return m_capacity; }
    const char *data() const { return m_data.get(); }
    QByteArrayView view() const { return QByteArrayView(m_data.get(), qsizetype(m_size)); }
    QByteArray toByteArray() const { return QByteArray(m_data.get(), qsizetype(m_size)); }

    /*! Makes room for \a n more bytes and returns where they go; commit() the end. */
    char *claim(size_t n)
    {
        if (m_capacity - m_size < n)
            grow(n);
        return m_data.get() + m_size;
    }
    void commit(const char *end) { m_size = size_t(end - m_data.get()); }

    void append(char c) { *claim(1) = c, ++m_size; }
    void append(const char *s, size_t n)
    {
        std::memcpy(claim(n), s, n);
        m_size += n;
    }
    ByteBuffer &operator+=(char c)
    {
        append(c);
        return *this;
    }
    ByteBuffer &operator+=(const char *s)
    {
        append(s, std::strlen(s));
        return *this;
    }
    ByteBuffer &operator+=(QByteArrayView s)
    {
        append(s.data(), size_t(s.size()));
        return *this;
    }

private:
    void grow(size_t n)
    {
        size_t capacity = m_capacity ? m_capacity : 256;
        while (capacity - m_size < n)
            capacity *= 2;
        auto data = std::make_unique_for_overwrite<char[]>(capacity);
        if (m_size)
            std::memcpy(data.get(), m_data.get(), m_size);
        m_data = std::move(data);
        m_capacity = capacity;
    }

    std::unique_ptr<char[]> m_data;
    size_t m_size = 0;
    size_t m_capacity = 0;
};

} // namespace objectsync::storage
