// SPDX-License-Identifier: MIT
#pragma once

/*!
 * \file result.h
 * Result<T>: the value of an operation that can fail, or the Error saying why.
 *
 * \code
 * objectsync::Result<void> done = engine.tryTransition([&] { ... });
 * if (!done)
 *     qWarning() << "refused:" << done.error().message();
 *
 * objectsync::Result<int> parsed = parsePort(text);
 * if (!parsed)
 *     return parsed.error();   // an Error converts to any Result
 * use(*parsed);
 * \endcode
 */

#include <objectsync/error.h>

#include <optional>
#include <utility>
#include <variant>

namespace objectsync {

template<typename T> class [[nodiscard]] Result
{
public:
    Result(const T &value) : m_state(value) {}
    Result(T &&value) : m_state(std::move(value)) {}
    Result(const Error &error) : m_state(error) {}
    Result(ErrorCode code, const QString &message) : m_state(Error(code, message)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    /*! The value; only when ok(). */
    const T &value() const & { return std::get<0>(m_state); }
    T &value() & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    /*! The value, or \a fallback when this is an error. */
    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

    /*! The error; only when !ok(). */
    const Error &error() const { return std::get<1>(m_state); }
    /*! The error's message, or an empty string when ok(). */
    QString errorMessage() const { return ok() ? QString() : error().message(); }

private:
    std::variant<T, Error> m_state;
};

/*! An operation that returns nothing but can fail. A default-constructed one is a success. */
template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(const Error &error) : m_error(error) {}
    Result(ErrorCode code, const QString &message) : m_error(Error(code, message)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }
    QString errorMessage() const { return ok() ? QString() : m_error->message(); }

private:
    std::optional<Error> m_error;
};

} // namespace objectsync
