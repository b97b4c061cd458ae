-- Style clipboard, variations, patches, features and the heat map, against the real server.
local H = dofile(vim.g.refract_root .. '/tests/helpers.lua')
local R = H.refract
local api = vim.api
local ERROR = vim.log.levels.ERROR

local HAPPY = 'I am absolutely thrilled with this wonderful gift, thank you so much!'
local DRY = 'The quarterly report is attached for your review.'

H.test("pasting before anything was copied is the server's message as an ERROR", function()
  local bufnr = H.open('nocopy.md', { DRY })
  local from = #H.notes
  local done = H.run('1Refract topic')
  H.eq(false, done.ok, 'ok')
  local errors = H.notes_since(from, ERROR)
  H.eq(1, #errors, 'one error: ' .. vim.inspect(errors))
  H.ok(errors[1]:find('no style copied yet', 1, true), errors[1])
  H.eq({ DRY }, H.lines(bufnr), 'buffer untouched')
end)

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
