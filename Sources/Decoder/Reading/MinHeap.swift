/// A binary min-heap, for merging the thread streams by their earliest call.
struct MinHeap<Element: Comparable> {
    private var storage: [Element] = []

    /// Whether the heap is empty.
    var isEmpty: Bool { storage.isEmpty }

    /// The smallest element, left in place.
    var min: Element? { storage.first }

    /// Adds an element.
    mutating func insert(_ element: Element) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    /// Replaces the smallest element with `element` (one sift instead of a removal and an
    /// insertion: the merge puts back the stream it just took from).
    mutating func replaceMin(with element: Element) {
        precondition(!storage.isEmpty, "replaceMin on an empty heap")
        storage[0] = element
        siftDown()
    }

    /// Removes and returns the smallest element.
    mutating func popMin() -> Element? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let minimum = storage.removeLast()
        siftDown()
        return minimum
    }

    /// Moves the root down to its place.
    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < storage.count, storage[left] < storage[smallest] { smallest = left }
            if right < storage.count, storage[right] < storage[smallest] { smallest = right }
            if smallest == parent { break }
            storage.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
