namespace JaxSharp.Cpu;

/// <summary>
/// A thread-safe map that keeps at most <see cref="Capacity"/> entries and drops the least
/// recently used one to make room. Each missing key's value is made once: callers that ask for
/// it while it is being made wait for that one call of the factory instead of making their own.
/// A factory that throws leaves no entry, so a later call tries again.
/// </summary>
internal sealed class BoundedCache<TKey, TValue> where TKey : notnull where TValue : class
{
    private sealed record Entry(TKey Key, Lazy<TValue> Value);

    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _nodes = new();

    /// <summary>The entries, most recently used first.</summary>
    private readonly LinkedList<Entry> _recency = new();

    private int _capacity;

    /// <summary>An empty cache of at most <paramref name="capacity"/> entries (at least 1).</summary>
    public BoundedCache(int capacity) => Capacity = capacity;

    /// <summary>The most entries kept; lowering it drops the least recently used at once.</summary>
    public int Capacity
    {
        get => _capacity;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_lock)
            {
                _capacity = value;
                DropLeastRecent();
            }
        }
    }

    /// <summary>The number of entries, including any whose value is still being made.</summary>
    public int Count
    {
        get { lock (_lock) return _nodes.Count; }
    }

    /// <summary>The value of <paramref name="key"/>, made by <paramref name="create"/> if it is missing, and marked as just used.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        Lazy<TValue> value;
        lock (_lock)
        {
            if (_nodes.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                value = node.Value.Value;
            }
            else
            {
                value = new Lazy<TValue>(() => create(key), LazyThreadSafetyMode.ExecutionAndPublication);
                _nodes[key] = _recency.AddFirst(new Entry(key, value));
                DropLeastRecent();
            }
        }
        try
        {
            return value.Value;
        }
        catch
        {
            Remove(key, value);
            throw;
        }
    }

    /// <summary>Removes <paramref name="key"/> if its value is <paramref name="expected"/> (and not another made since).</summary>
    public void Remove(TKey key, TValue expected)
    {
        lock (_lock)
        {
            if (_nodes.TryGetValue(key, out var node) && node.Value.Value is { IsValueCreated: true } made && ReferenceEquals(made.Value, expected))
                RemoveNode(node);
        }
    }

    /// <summary>The values made so far (a snapshot, in no particular order).</summary>
    public List<TValue> Values()
    {
        lock (_lock) return _recency.Where(e => e.Value.IsValueCreated).Select(e => e.Value.Value).ToList();
    }

    /// <summary>Drops every entry. Callers already waiting for a value still receive it.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _nodes.Clear();
            _recency.Clear();
        }
    }

    private void Remove(TKey key, Lazy<TValue> value)
    {
        lock (_lock)
        {
            if (_nodes.TryGetValue(key, out var node) && ReferenceEquals(node.Value.Value, value)) RemoveNode(node);
        }
    }

    private void DropLeastRecent()
    {
        while (_nodes.Count > _capacity) RemoveNode(_recency.Last!);
    }

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        _nodes.Remove(node.Value.Key);
        _recency.Remove(node);
    }
}
