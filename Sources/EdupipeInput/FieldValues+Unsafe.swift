import EdupipeSupport

/// The values of one record, indexed by the schema's field order, trimmed.
/// An empty value is a missing value. The bytes belong to the reader (CSV
/// buffer or XML record arena) and are valid only while the record is checked.
public struct FieldValues {
    @usableFromInline var slots: UnsafeMutableBufferPointer<UnsafeRawBufferPointer>

    package init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    package func deallocate() { slots.deallocate() }

    @inlinable @inline(__always)
    public subscript(_ field: Int) -> UnsafeRawBufferPointer {
        get { slots[field] }
        nonmutating set { slots[field] = Bytes.trim(newValue) }
    }
}

extension FieldValues {
    /// `values` as one record's fields, for `body` to check while it runs
    /// (the synthetic generator's own check of a record it made).
    package static func with<R>(_ values: [String], _ body: (FieldValues) throws -> R) rethrows -> R {
        var joined: [UInt8] = []
        var spans: [Range<Int>] = []
        for value in values {
            let start = joined.count
            joined += value.utf8
            spans.append(start..<joined.count)
        }
        let fields = FieldValues(count: values.count)
        defer { fields.deallocate() }
        return try joined.withUnsafeBytes { all in
            for (i, span) in spans.enumerated() { fields[i] = UnsafeRawBufferPointer(rebasing: all[span]) }
            return try body(fields)
        }
    }
}
