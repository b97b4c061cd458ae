-- Attaching, line-range and visual rewrites, amounts, errors and :checkhealth, against the real server.
local H = dofile(vim.g.refract_root .. '/tests/helpers.lua')
local R = H.refract
local api = vim.api
local ERROR = vim.log.levels.ERROR

-- Neovim offers utf-8 first and pygls 2 accepts it; this spec offers only UTF-16 (the protocol's
-- default, what most clients use) so that the range conversion of non-ASCII text is exercised
-- against the real server. commands_spec runs with the negotiated default.
vim.lsp.config('refract', { capabilities = { general = { positionEncodings = { 'utf-16' } } } })

local LONG = 'The museum finally reopened last week after a very long and extremely expensive renovation.'

H.test('the client attaches to a markdown buffer', function()
  local bufnr = H.open('attach.md', { '# Notes', '', LONG })
  H.eq('markdown', vim.bo[bufnr].filetype, 'filetype')
  local client = R.get_client(bufnr)
  H.eq('refract', client.name, 'client name')
  H.ok(vim.tbl_contains(client.server_capabilities.executeCommandProvider.commands, 'refract.rewrite'))
  H.eq(H.dir, client.root_dir, 'root_dir (the patches/ root marker)')
  H.eq('embedded', client.settings.refract.codec, 'settings.refract.codec')
  H.eq('utf-16', client.offset_encoding, 'negotiated position encoding')
end)

H.test('UTF-16 positions for non-ASCII text', function()
  local bufnr = api.nvim_create_buf(false, true)
  api.nvim_buf_set_lines(bufnr, 0, -1, false, { 'héllo 🙂 wörld' })
  local line = H.lines(bufnr)[1]
  local col = line:find('wörld', 1, true) - 1 -- byte column 12
  H.eq(12, col, 'byte column')
  H.eq({ line = 0, character = 9 }, R.to_lsp_position(bufnr, 0, col, 'utf-16'), 'utf-16 (emoji = 2 units)')
  H.eq({ line = 0, character = 8 }, R.to_lsp_position(bufnr, 0, col, 'utf-32'), 'utf-32')
  H.eq(col, R.to_byte_col(bufnr, { line = 0, character = 9 }, 'utf-16'), 'back to bytes')
end)

H.test(':1Refract shorten changes line 1 and leaves lines 2 and 3 byte-identical', function()
  local lines = { LONG, 'Second line stays — exactly as it was.', 'Third line stays too, naïvely.' }
  local bufnr = H.open('shorten.md', lines)
  local from = #H.notes
  local done = H.run('1Refract shorten')
  H.ok(done.ok, 'shorten failed: ' .. tostring(done.error))
  H.eq(true, done.result.applied, 'applied')
  local now = H.lines(bufnr)
  H.eq(3, #now, 'line count')
  H.ok(now[1] ~= lines[1] and now[1] ~= '', 'line 1 should change, got ' .. vim.inspect(now[1]))
  H.eq(lines[2], now[2], 'line 2')
  H.eq(lines[3], now[3], 'line 3')
  H.eq({}, H.notes_since(from, ERROR), 'error notifications')
end)

H.test("a visual selection (:'<,'>Refract) rewrites only the selected columns", function()
  local prefix = 'Café 🙂 notes: '
  local selected = 'the résumé was far too long, and honestly nobody ever finished reading it.'
  local suffix = ' I liked the naïve opening.'
  local bufnr = H.open('visual.md', { 'Before.', prefix .. selected .. suffix, 'After.' })
  api.nvim_win_set_cursor(0, { 2, #prefix })
  vim.cmd('normal! v' .. vim.fn.strchars(selected) - 1 .. 'l\27') -- charwise, ends on the final "."
  H.eq({ 2, #prefix }, api.nvim_buf_get_mark(bufnr, '<'), "'< mark")
  local done = H.run("'<,'>Refract shorten")
  H.ok(done.ok, 'visual shorten failed: ' .. tostring(done.error))
  local now = H.lines(bufnr)
  H.eq('Before.', now[1], 'line 1')
  H.eq('After.', now[3], 'line 3')
  H.ok(vim.startswith(now[2], prefix), 'text before the selection changed: ' .. now[2])
  H.ok(vim.endswith(now[2], suffix), 'text after the selection changed: ' .. now[2])
  H.ok(now[2] ~= prefix .. selected .. suffix, 'the selection should change: ' .. now[2])
end)

H.test('sentiment with an amount', function()
  local lines = { 'Intro stays.', 'I really love this sunny day at the beach with my friends.', 'Outro stays.' }
  local bufnr = H.open('sentiment.md', lines)
  local done = H.run('2Refract sentiment -2')
  H.ok(done.ok, 'sentiment failed: ' .. tostring(done.error))
  H.eq(true, done.result.applied, 'applied')
  local now = H.lines(bufnr)
  H.eq(lines[1], now[1], 'line 1')
  H.eq(lines[3], now[3], 'line 3')
  H.ok(now[2] ~= lines[2], 'line 2 should change')
end)

H.test('an unknown subcommand is a vim.notify ERROR, not a Lua error', function()
  H.open('unknown.md', { LONG })
  local from = #H.notes
  local done = H.run('1Refract shout')
  H.eq(false, done.ok, 'ok')
  local errors = H.notes_since(from, ERROR)
  H.eq(1, #errors, 'one error')
  H.ok(errors[1]:find('unknown subcommand "shout"', 1, true), errors[1])
end)

H.test("an empty line is the server's InvalidParams message as a vim.notify ERROR", function()
  local bufnr = H.open('empty.md', { LONG, '', 'Last.' })
  local from = #H.notes
  local done = H.run('2Refract shorten')
  H.eq(false, done.ok, 'ok')
  local errors = H.notes_since(from, ERROR)
  H.eq(1, #errors, 'one error')
  H.ok(errors[1]:find('empty', 1, true), 'server message expected, got: ' .. errors[1])
  H.eq({ LONG, '', 'Last.' }, H.lines(bufnr), 'buffer untouched')
end)

H.test('bad amounts, no subcommand and no client are ERROR notifications', function()
  H.open('bad.md', { LONG })
  local from = #H.notes
  H.eq(false, H.run('1Refract shorten lots').ok)
  H.eq(false, H.run('Refract').ok)
  vim.cmd('enew')
  vim.bo.filetype = 'lua'
  H.eq(false, H.run('Refract shorten').ok)
  local errors = H.notes_since(from, ERROR)
  H.eq(3, #errors, 'three errors: ' .. vim.inspect(errors))
  H.ok(errors[1]:find('must be a number', 1, true), errors[1])
  H.ok(errors[2]:find('usage', 1, true), errors[2])
  H.ok(errors[3]:find('no Refract client attached', 1, true), errors[3])
end)

H.test('completion lists subcommands and heat-map axes', function()
  H.eq({ 'shorten', 'sentiment', 'save' }, R.complete('s', 'Refract s', 9), 'subcommands')
  H.eq({ 'formality' }, R.complete('fo', "'<,'>Refract heatmap fo", 23), 'axes')
  H.eq({ 'roundtrip' }, vim.fn.getcompletion('Refract ro', 'cmdline'), 'via getcompletion')
end)

H.test('keymaps = true maps the documented set where Refract attaches', function()
  R.config.keymaps = true
  local ok, bufnr = pcall(H.open, 'keys.md', { LONG })
  R.config.keymaps = false
  H.ok(ok, bufnr)
  local n = vim.fn.maparg('<leader>rs', 'n', false, true)
  local x = vim.fn.maparg('<leader>r-', 'x', false, true)
  H.eq(1, n.buffer, 'buffer-local')
  H.eq('<Cmd>Refract shorten<CR>', n.rhs, 'normal-mode rhs')
  H.eq(':Refract sentiment -1<CR>', x.rhs, 'visual-mode rhs')
end)

H.test(':checkhealth refract runs and sees the attached client', function()
  H.open('health.md', { LONG })
  vim.cmd('checkhealth refract')
  H.eq('checkhealth', vim.bo.filetype, 'health buffer')
  local text = table.concat(H.lines(0), '\n')
  H.ok(text:find('refract', 1, true), text)
  H.ok(text:find('OK Neovim', 1, true), 'version check missing:\n' .. text)
  H.ok(text:find('refract 0.', 1, true), '`refract --version` output missing:\n' .. text)
  H.ok(text:find('attached to [^\n]*health%.md'), 'client check missing:\n' .. text)
  H.ok(not text:find('ERROR', 1, true), 'health errors:\n' .. text)
end)

H.finish('rewrite_spec')
