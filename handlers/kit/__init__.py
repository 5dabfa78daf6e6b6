"""What every handler package uses: the context, pre-flight steps, screens, buttons, arguments,
awaited text, paging, the command menu and the fallbacks."""
