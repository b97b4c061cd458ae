-- Style clipboard, variations, patches, features and the heat map, against the real server.
local H = dofile(vim.g.refract_root .. '/tests/helpers.lua')
local R = H.refract
local api = vim.api
local ERROR = vim.log.levels.ERROR

local HAPPY = 'I am absolutely thrilled with this wonderful gift, thank you so much!'
local DRY = 'The quarterly report is attached for your review.'
local CONCERT = 'Did you enjoy the concert last night?' -- `refract features` shows "concert / band"
local RAIN = 'The rain fell softly on the quiet village all night.'

--- Runs `cmd` and returns its RefractDone data and the argument object of every
--- workspace/executeCommand request it sent, as {command = , args = }.
local function run_capturing(cmd, bufnr)
  local client = R.get_client(bufnr)
  local sent = {}
  client.request = function(self, method, params, ...)
    if method == 'workspace/executeCommand' then
      sent[#sent + 1] = { command = params.command, args = params.arguments[1] }
    end
    return getmetatable(self).__index.request(self, method, params, ...)
  end
  local ok, done = pcall(H.run, cmd)
  client.request = nil -- back to the class method
  H.ok(ok, done)
  return done, sent
end

-- The style clipboard is per server process and this spec shares one server, so these run
-- before the first copy below.
for _, sub in ipairs({ 'topic', 'blend' }) do
  H.test(sub .. " before anything was copied is the server's message as an ERROR", function()
    local bufnr = H.open('nocopy-' .. sub .. '.md', { DRY })
    local from = #H.notes
    local done = H.run('1Refract ' .. sub)
    H.eq(false, done.ok, 'ok')
    local errors = H.notes_since(from, ERROR)
    H.eq(1, #errors, 'one error: ' .. vim.inspect(errors))
    H.ok(errors[1]:find('no style copied yet', 1, true), errors[1])
    H.eq({ DRY }, H.lines(bufnr), 'buffer untouched')
  end)
end

H.test('copy in one buffer, paste tone in another', function()
  local a = H.open('source.md', { HAPPY })
  local from = #H.notes
  local copied = H.run('1Refract copy')
  H.ok(copied.ok, 'copy failed: ' .. tostring(copied.error))
  H.ok(type(copied.result.copied) == 'string' and copied.result.copied ~= '', 'copied preview')
  local b = H.open('target.md', { DRY, 'Untouched line.' })
  H.ok(a ~= b and R.get_client(a).id == R.get_client(b).id, 'one server for both buffers')
  local pasted = H.run('1Refract tone')
  H.ok(pasted.ok, 'paste tone failed: ' .. tostring(pasted.error))
  H.eq(true, pasted.result.applied, 'applied')
  H.eq('Untouched line.', H.lines(b)[2], 'line 2')
  H.eq({ HAPPY }, H.lines(a), 'source buffer untouched')
  H.eq({}, H.notes_since(from, ERROR), 'error notifications')
end)

H.test('blend after copy changes only the target line; no weight leaves amount to the server', function()
  -- the clipboard holds HAPPY, copied by the test above
  local lines = { 'Keep me.', DRY, 'Untouched line.' }
  local bufnr = H.open('blend.md', lines)
  local from = #H.notes
  local done, sent = run_capturing('2Refract blend 0.8', bufnr)
  H.ok(done.ok, 'blend failed: ' .. tostring(done.error))
  H.eq(true, done.result.applied, 'applied')
  H.eq('refract.pasteStyle', sent[1].command, 'command')
  H.eq('blend', sent[1].args.aspect, 'aspect')
  H.eq(0.8, sent[1].args.amount, 'amount = the weight')
  local now = H.lines(bufnr)
  H.eq(3, #now, 'line count')
  H.eq(lines[1], now[1], 'line 1')
  H.eq(lines[3], now[3], 'line 3')
  H.ok(now[2] ~= lines[2] and now[2] ~= '', 'line 2 should change, got ' .. vim.inspect(now[2]))
  H.eq(done.result.text, now[2], 'line 2 is the rewrite')

  local default
  done, default = run_capturing('3Refract blend', bufnr)
  H.ok(done.ok, 'blend without a weight failed: ' .. tostring(done.error))
  H.eq(nil, default[1].args.amount, 'no amount without a weight')
  H.eq(lines[1], H.lines(bufnr)[1], 'line 1 still')
  H.eq({}, H.notes_since(from, ERROR), 'error notifications')

  H.eq(false, H.run('2Refract blend half').ok, 'a non-numeric weight')
  local errors = H.notes_since(from, ERROR)
  H.ok(#errors == 1 and errors[1]:find('weight must be a number', 1, true), vim.inspect(errors))
end)

H.test('feature arguments: a numeric last argument is the value, the rest the label', function()
  local function parse(...)
    return { R.parse_feature_args({ ... }) }
  end
  H.eq({ 'concert / band', '2' }, parse('concert', '/', 'band', '2'), 'label and value')
  H.eq({ 'concert / band' }, parse('concert', '/', 'band'), 'label only')
  H.eq({ 'think / thought', '0.5' }, parse('think', '/', 'thought', '0.5'), 'decimal value')
  H.eq({ '841', '1' }, parse('841', '1'), 'id and value')
  H.eq({ nil, '2' }, parse('2'), 'value only')
  H.eq({}, parse(), 'nothing')
  H.eq({ 'night late' }, parse('night', 'late'), 'non-numeric words are all label')
end)

H.test('feature with an explicit label sets it on the line', function()
  local lines = { 'Keep me.', RAIN, 'Untouched line.' }
  local bufnr = H.open('feature.md', lines)
  local from = #H.notes
  local done, sent = run_capturing('2Refract feature concert / band 2', bufnr)
  H.ok(done.ok, 'feature failed: ' .. tostring(done.error))
  H.eq(true, done.result.applied, 'applied')
  H.eq(1, #sent, 'one request')
  H.eq('refract.rewrite', sent[1].command, 'command')
  H.eq('feature', sent[1].args.op, 'op')
  H.eq('concert / band', sent[1].args.feature, 'feature label, spaces and slash kept')
  H.eq(2, sent[1].args.amount, 'amount = the value')
  local now = H.lines(bufnr)
  H.eq(lines[1], now[1], 'line 1')
  H.eq(lines[3], now[3], 'line 3')
  H.ok(now[2] ~= lines[2] and now[2] ~= '', 'line 2 should change, got ' .. vim.inspect(now[2]))
  H.eq({}, H.notes_since(from, ERROR), 'error notifications')
end)

H.test('feature without a label picks one of refract.features with vim.ui.select', function()
  local bufnr = H.open('featurepick.md', { CONCERT, 'Untouched line.' })
  local offered
  local real_select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    offered = { items = items, labels = vim.tbl_map(opts.format_item, items) }
    on_choice(items[1], 1)
  end
  local ok, done, sent = pcall(run_capturing, '1Refract feature', bufnr)
  vim.ui.select = real_select
  H.ok(ok, done)
  H.ok(done.ok, 'feature from the picker failed: ' .. tostring(done.error))
  H.ok(offered and #offered.items > 0, 'a picker with features')
  local first = offered.items[1]
  H.ok(offered.labels[1]:find(first.label, 1, true), 'item shows the label: ' .. offered.labels[1])
  H.ok(offered.labels[1]:match('%d%.%d%d'), 'item shows the value: ' .. offered.labels[1])
  H.ok(vim.iter(offered.labels):any(function(l)
    return vim.startswith(l, 'concert / band  ')
  end), 'concert / band offered: ' .. vim.inspect(offered.labels))
  H.eq({ 'refract.features', 'refract.rewrite' }, vim.tbl_map(function(r)
    return r.command
  end, sent), 'requests')
  H.eq(first.label, sent[2].args.feature, 'the picked label')
  H.eq(1, sent[2].args.amount, 'value 1 by default')
  H.eq(true, done.result.applied, 'applied')
  H.eq({ done.result.text, 'Untouched line.' }, H.lines(bufnr), 'buffer')
  H.ok(vim.tbl_contains(R.complete('conc', 'Refract feature conc', 20), 'concert / band'), 'labels seen complete')
end)

H.test('a feature value out of range is an ERROR notification, not a Lua error', function()
  local bufnr = H.open('featurebad.md', { CONCERT })
  local from = #H.notes
  local done = H.run('1Refract feature concert / band 9')
  H.eq(false, done.ok, 'ok')
  local errors = H.notes_since(from, ERROR)
  H.eq(1, #errors, 'one error: ' .. vim.inspect(errors))
  H.ok(errors[1]:find('between 0 and 3', 1, true), errors[1])
  H.eq({ CONCERT }, H.lines(bufnr), 'buffer untouched')
  H.eq(false, H.run('1Refract feature no such feature at all 1').ok, 'an unknown label')
  errors = H.notes_since(from, ERROR)
  H.eq(2, #errors, 'two errors: ' .. vim.inspect(errors))
  H.ok(errors[2]:find('no feature is labelled', 1, true), errors[2])
end)

H.test('completion offers blend and feature', function()
  H.eq({ 'blend' }, R.complete('bl', 'Refract bl', 10), 'blend')
  H.eq({ 'features', 'feature' }, R.complete('feat', "'<,'>Refract feat", 17), 'feature')
end)

H.test('variations: pick the first candidate with vim.ui.select, applied with applyText', function()
  local bufnr = H.open('variations.md', { 'Keep me.', 'The old lighthouse keeper watched the storm roll in.' })
  local offered
  local real_select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    offered = { items = items, label = opts.format_item(items[1]) }
    on_choice(items[1], 1)
  end
  local ok, done = pcall(H.run, '2Refract variations 0.5')
  vim.ui.select = real_select
  H.ok(ok, done)
  H.ok(done.ok, 'variations failed: ' .. tostring(done.error))
  H.ok(offered and #offered.items > 0, 'a picker with candidates')
  H.ok(offered.label:match('^%d%.%d%d  '), 'label shows the score: ' .. offered.label)
  H.eq(true, done.result.applied, 'applied')
  H.eq({ 'Keep me.', offered.items[1].text }, H.lines(bufnr), 'buffer')
end)

H.test('save a style patch, then apply it by path and from the picker', function()
  local bufnr = H.open('patch.md', { 'Dear Sir, I hereby formally request the enclosed documents.', DRY, 'Keep me.' })
  local path = H.dir .. '/patches/formal.json'
  local saved = H.run('1Refract save ' .. vim.fn.fnameescape(path))
  H.ok(saved.ok, 'save failed: ' .. tostring(saved.error))
  H.eq(path, saved.result.path, 'saved path')
  H.eq(1, vim.fn.filereadable(path), 'patch file written')

  local applied = H.run('2Refract patch ' .. vim.fn.fnameescape(path))
  H.ok(applied.ok, 'apply patch failed: ' .. tostring(applied.error))
  H.eq(true, applied.result.applied, 'applied')
  local now = H.lines(bufnr)
  H.eq('Keep me.', now[3], 'line 3')
  H.ok(now[2] ~= '', 'line 2 rewritten')

  local offered
  local real_select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    offered = vim.tbl_map(opts.format_item, items)
    for i, item in ipairs(items) do
      if item.path == path then
        return on_choice(item, i)
      end
    end
    on_choice(nil)
  end
  local ok, picked = pcall(H.run, '3Refract patch')
  vim.ui.select = real_select
  H.ok(ok, picked)
  H.ok(picked.ok, 'patch from the picker failed: ' .. tostring(picked.error))
  H.ok(vim.tbl_contains(offered, 'formal') or offered[1]:find('formal', 1, true), vim.inspect(offered))
end)

H.test('save without a path prompts with vim.ui.input', function()
  H.open('prompt.md', { HAPPY })
  local asked
  local real_input = vim.ui.input
  vim.ui.input = function(opts, on_confirm)
    asked = opts
    on_confirm(H.dir .. '/patches/prompted.json')
  end
  local ok, done = pcall(H.run, '1Refract save')
  vim.ui.input = real_input
  H.ok(ok, done)
  H.ok(done.ok, 'save failed: ' .. tostring(done.error))
  H.ok(asked and asked.default:find('/patches/$'), 'default path: ' .. vim.inspect(asked))
  H.eq(1, vim.fn.filereadable(H.dir .. '/patches/prompted.json'), 'patch file written')
end)

H.test('features opens a floating window with the markdown', function()
  H.open('features.md', { 'The rain fell softly on the quiet village all night.' })
  local done = H.run('1Refract features')
  H.ok(done.ok, 'features failed: ' .. tostring(done.error))
  local win = done.result.win
  H.ok(win and api.nvim_win_is_valid(win), 'window open')
  H.ok(api.nvim_win_get_config(win).relative ~= '', 'a floating window')
  local text = table.concat(api.nvim_buf_get_lines(api.nvim_win_get_buf(win), 0, -1, false), '\n')
  H.ok(text:find('sentiment', 1, true), 'features text: ' .. text)
  api.nvim_win_close(win, true)
end)

H.test('heatmap sets extmarks per sentence and toggling clears them', function()
  local bufnr = H.open('heat.md', {
    '# Días de lluvia',
    '',
    'I hate this awful, miserable weather. The café was lovely and warm, though!',
    'Everyone was wonderfully kind to us.',
  })
  local done = H.run('Refract heatmap')
  H.ok(done.ok, 'heatmap failed: ' .. tostring(done.error))
  H.eq('sentiment', done.result.feature, 'default feature from settings')
  local marks = api.nvim_buf_get_extmarks(bufnr, R.ns, 0, -1, { details = true })
  H.ok(#marks >= 3, 'one extmark per sentence, got ' .. #marks)
  local groups = {}
  for _, m in ipairs(marks) do
    H.ok(m[4].hl_group:match('^RefractHeat[1-5]$'), m[4].hl_group)
    groups[m[4].hl_group] = true
  end
  H.ok(groups.RefractHeat1 and groups.RefractHeat5, 'min and max buckets used: ' .. vim.inspect(groups))
  local second = H.lines(bufnr)[3]:find('The café', 1, true) - 1
  local starts = vim.tbl_map(function(m)
    return m[2] .. ':' .. m[3]
  end, marks)
  H.ok(vim.tbl_contains(starts, '2:' .. second), 'a sentence starts at "The café": ' .. vim.inspect(starts))
  H.ok(next(api.nvim_get_hl(0, { name = 'RefractHeat1' })) ~= nil, 'highlight group defined')

  local cleared = H.run('Refract heatmap')
  H.ok(cleared.ok and cleared.result.cleared, 'toggle off')
  H.eq({}, api.nvim_buf_get_extmarks(bufnr, R.ns, 0, -1, {}), 'extmarks cleared')

  R.config.heatmap.virt_text = true
  local ok, formal = pcall(H.run, 'Refract heatmap formality')
  R.config.heatmap.virt_text = false
  H.ok(ok, formal)
  H.ok(formal.ok, 'heatmap formality failed: ' .. tostring(formal.error))
  H.eq('formality', formal.result.feature, 'feature argument')
  marks = api.nvim_buf_get_extmarks(bufnr, R.ns, 0, -1, { details = true })
  H.ok(#marks >= 3, 'extmarks again')
  H.ok(marks[1][4].virt_text and marks[1][4].virt_text[1][1]:match('^[+-]%d%.%d%d$'), vim.inspect(marks[1][4]))
  R.clear_heatmap(bufnr)
  H.eq({}, api.nvim_buf_get_extmarks(bufnr, R.ns, 0, -1, {}), 'clear_heatmap')
end)

H.test("a missing patch file is the server's message as an ERROR", function()
  local bufnr = H.open('badpatch.md', { HAPPY })
  local from = #H.notes
  local done = H.run('1Refract patch ' .. H.dir .. '/patches/missing.json')
  H.eq(false, done.ok, 'ok')
  local errors = H.notes_since(from, ERROR)
  H.eq(1, #errors, 'one error: ' .. vim.inspect(errors))
  H.ok(errors[1]:find('missing', 1, true), errors[1])
  H.eq({ HAPPY }, H.lines(bufnr), 'buffer untouched')
end)

H.finish('commands_spec')
