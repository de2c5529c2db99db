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
