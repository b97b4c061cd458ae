-- Refract for Neovim 0.11+: a thin client over `refract serve` (docs/protocol.md).
--
-- The server does the work: every subcommand of `:Refract` is one (or two) asynchronous
-- workspace/executeCommand requests, and rewrites come back as workspace/applyEdit, which
-- Neovim's built-in handler applies. This module only turns buffer selections into LSP ranges,
-- shows results (pickers, floats, heat-map extmarks) and reports errors with vim.notify.

local M = {}

local api = vim.api
local levels = vim.log.levels

M.name = 'refract'

--- Subcommands of `:Refract`, in the order completion offers them.
M.subcommands = {
  'shorten',
  'lengthen',
  'sentiment',
  'roundtrip',
  'variations',
  'copy',
  'tone',
  'topic',
  'blend',
  'save',
  'patch',
  'features',
  'feature',
  'heatmap',
}

--- Axis names the server knows (completion for `:Refract heatmap`); feature ids and labels work too.
M.axes = { 'sentiment', 'length', 'formality', 'concreteness', 'question', 'person' }

--- Plugin options (the LSP part comes from lsp/refract.lua, see M.setup).
M.defaults = {
  keymaps = false, -- true: the documented <leader>r… set; or a table { lhs = 'subcommand args' }
  progress = true, -- short INFO notice when a request starts
  features = { window = 'float' }, -- 'float' or 'split'
  heatmap = { virt_text = false }, -- virt_text: show each sentence's value after it
}

M.default_keymaps = {
  ['<leader>rs'] = 'shorten',
  ['<leader>rl'] = 'lengthen',
  ['<leader>r+'] = 'sentiment 1',
  ['<leader>r-'] = 'sentiment -1',
  ['<leader>rv'] = 'variations',
  ['<leader>rc'] = 'copy',
  ['<leader>rt'] = 'tone',
  ['<leader>rT'] = 'topic',
  ['<leader>rp'] = 'patch',
  ['<leader>rf'] = 'features',
  ['<leader>rh'] = 'heatmap',
}

M.config = vim.deepcopy(M.defaults)

M.ns = api.nvim_create_namespace('refract.heatmap')

---@type table<integer, {feature: string}>
local heatmaps = {} -- bufnr -> the heat map shown in it

---@type table<string, true>
local seen_labels = {} -- feature labels the server has shown this session (completion for `feature`)

-- ---------------------------------------------------------------------------------------------
-- Messages and completion events

local function notify(msg, level)
  vim.notify('Refract: ' .. msg, level or levels.INFO, { title = 'Refract' })
end

local function error_message(err)
  if type(err) == 'table' then
    return tostring(err.message or vim.inspect(err))
  end
  return tostring(err)
end

--- Ends one `:Refract` invocation: calls opts.on_done and fires `User RefractDone`
--- (data: {op, bufnr, ok, result?, error?}), which tests and statuslines can wait on.
local function finish(ctx, ok, result, err)
  local data = { op = ctx.op, bufnr = ctx.bufnr, ok = ok, result = result, error = err }
  if ctx.on_done then
    pcall(ctx.on_done, data)
  end
  pcall(api.nvim_exec_autocmds, 'User', { pattern = 'RefractDone', modeline = false, data = data })
end

local function fail(ctx, msg, level)
  notify(msg, level or levels.ERROR)
  finish(ctx, false, nil, msg)
end

--- Runs fn, turning any Lua error into a notification instead of an error thrown at the writer.
local function guard(ctx, fn, ...)
  local ok, e = xpcall(fn, debug.traceback, ...)
  if not ok then
    fail(ctx, 'internal error: ' .. tostring(e))
  end
end

-- ---------------------------------------------------------------------------------------------
-- Positions: Neovim (0-based rows, byte columns) <-> LSP (lines, offset_encoding units)

local function get_line(bufnr, row)
  return api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
end

--- LSP position of a byte column in a buffer row, in the client's offset encoding.
function M.to_lsp_position(bufnr, row, col, encoding)
  local line = get_line(bufnr, row)
  col = math.max(0, math.min(col, #line))
  return { line = row, character = vim.str_utfindex(line, encoding or 'utf-16', col, false) }
end

--- Byte column of an LSP position in a buffer, clamped to the line.
function M.to_byte_col(bufnr, pos, encoding)
  local line = get_line(bufnr, pos.line)
  local ok, col = pcall(vim.str_byteindex, line, encoding or 'utf-16', pos.character, false)
  if not ok or not col then
    return #line
  end
  return math.min(col, #line)
end

--- Whether a command with this range was started from a charwise visual selection
--- (`:'<,'>Refract …`): the range is exactly the lines of the last visual selection and that
--- selection was charwise. A typed line range that happens to equal them counts too.
local function from_visual(bufnr, cmd)
  if cmd.range ~= 2 or vim.fn.visualmode() ~= 'v' then
    return false
  end
  local s, e = api.nvim_buf_get_mark(bufnr, '<'), api.nvim_buf_get_mark(bufnr, '>')
  return s[1] == cmd.line1 and e[1] == cmd.line2 and s[1] > 0
end

--- Byte range {srow, scol, erow, ecol} (0-based, end exclusive) of the last charwise visual selection.
local function visual_bytes(bufnr)
  local s, e = api.nvim_buf_get_mark(bufnr, '<'), api.nvim_buf_get_mark(bufnr, '>')
  local srow, scol, erow, ecol = s[1] - 1, s[2], e[1] - 1, e[2]
  if srow > erow or (srow == erow and scol > ecol) then
    srow, scol, erow, ecol = erow, ecol, srow, scol
  end
  local sline, eline = get_line(bufnr, srow), get_line(bufnr, erow)
  scol = math.min(scol, #sline)
  if ecol >= #eline then
    ecol = #eline -- `$` or past the end: up to the end of the line, newline excluded
  elseif vim.o.selection ~= 'exclusive' then
    ecol = ecol + vim.str_utf_end(eline, ecol + 1) + 1 -- include the whole last character
  end
  return { srow, scol, erow, ecol }
end

--- Byte range of whole lines line1..line2 (1-based), newline of the last line excluded.
local function line_bytes(bufnr, line1, line2)
  return { line1 - 1, 0, line2 - 1, #get_line(bufnr, line2 - 1) }
end

local function lsp_range(bufnr, b, encoding)
  return {
    start = M.to_lsp_position(bufnr, b[1], b[2], encoding),
    ['end'] = M.to_lsp_position(bufnr, b[3], b[4], encoding),
  }
end

-- ---------------------------------------------------------------------------------------------
-- Requests

--- The Refract client attached to bufnr, or nil.
function M.get_client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr or api.nvim_get_current_buf(), name = M.name })[1]
end

--- workspace/executeCommand with one argument object, asynchronously. on_result(result) runs
--- on success; a JSON-RPC error is shown as the server wrote it and ends the invocation.
local function exec(ctx, command, args, on_result)
  local params = { command = command, arguments = { args } }
  local ok, sent = pcall(ctx.client.request, ctx.client, 'workspace/executeCommand', params, function(err, result)
    if err then
      if err.code == -32800 then -- RequestCancelled
        return fail(ctx, 'cancelled', levels.WARN)
      end
      return fail(ctx, error_message(err))
    end
    guard(ctx, on_result, result)
  end, ctx.bufnr)
  if not ok or not sent then
    fail(ctx, 'could not reach the Refract server (it may have stopped; see :checkhealth refract)')
  end
end

local function progress(ctx, what)
  if M.config.progress then
    notify(what .. '…')
  end
end

local function amount_arg(ctx, value, what)
  if value == nil then
    return true, nil
  end
  local n = tonumber(value)
  if not n then
    fail(ctx, ('%s must be a number, got %q'):format(what or 'amount', value))
    return false
  end
  return true, n
end

--- Reports a rewrite result (refract.rewrite / pasteStyle / applyPatch / applyText).
local function report_rewrite(ctx, result, label)
  if type(result) ~= 'table' then
    return fail(ctx, 'unexpected answer from the server: ' .. vim.inspect(result))
  end
  if result.applied == false and result.reason and result.reason ~= vim.NIL then
    return fail(ctx, tostring(result.reason))
  end
  if M.config.progress then
    local secs = tonumber(result.seconds)
    notify(secs and ('%s done (%.1f s)'):format(label, secs) or (label .. ' done'))
  end
  finish(ctx, true, result)
end

local function rewrite(ctx, fields)
  local args = vim.tbl_extend('force', { uri = ctx.uri, range = ctx.range }, fields)
  progress(ctx, fields.op)
  exec(ctx, 'refract.rewrite', args, function(result)
    report_rewrite(ctx, result, fields.op)
  end)
end

-- ---------------------------------------------------------------------------------------------
-- Features window and heat map

local function show_markdown(ctx, markdown, title)
  local lines = vim.split(markdown, '\n', { plain = true })
  if M.config.features.window == 'split' then
    vim.cmd('botright new')
    local buf = api.nvim_get_current_buf()
    api.nvim_buf_set_lines(buf, 0, -1, false, lines)
    vim.bo[buf].buftype, vim.bo[buf].bufhidden, vim.bo[buf].swapfile = 'nofile', 'wipe', false
    vim.bo[buf].filetype, vim.bo[buf].modifiable = 'markdown', false
    pcall(api.nvim_buf_set_name, buf, 'refract://' .. title .. '/' .. buf)
    vim.keymap.set('n', 'q', '<Cmd>close<CR>', { buffer = buf, nowait = true, desc = 'close' })
    return buf, api.nvim_get_current_win()
  end
  return vim.lsp.util.open_floating_preview(lines, 'markdown', {
    border = 'rounded',
    title = ' Refract ' .. title .. ' ',
    focus_id = 'refract-' .. title,
    max_width = math.max(40, math.floor(vim.o.columns * 0.8)),
  })
end

local function features_markdown(result)
  if type(result.markdown) == 'string' and result.markdown ~= '' then
    return result.markdown
  end
  local out = { '**Refract** (selection)', '' }
  for name, value in vim.spairs(type(result.axes) == 'table' and result.axes or {}) do
    out[#out + 1] = ('- %s: %+.2f'):format(name, tonumber(value) or 0)
  end
  for _, f in ipairs(type(result.features) == 'table' and result.features or {}) do
    out[#out + 1] = ('- #%s %s: %.2f'):format(tostring(f.id), tostring(f.label), tonumber(f.value) or 0)
  end
  return table.concat(out, '\n')
end

--- Heat-map highlight groups RefractHeat1 (lowest) .. RefractHeat5 (highest) and RefractHeatValue.
--- Defined with `default = true`: a colorscheme or your config can override them.
function M.define_highlights()
  local dark = vim.o.background ~= 'light'
  local gui = dark and { '#5c2525', '#5a4421', '#3a3a3a', '#27452f', '#1f5a30' }
    or { '#f6c5c0', '#fbe3b0', '#ececec', '#d2ecd2', '#acdfae' }
  local cterm = dark and { 52, 94, 237, 22, 28 } or { 224, 223, 255, 194, 157 }
  for i = 1, 5 do
    api.nvim_set_hl(0, 'RefractHeat' .. i, { default = true, bg = gui[i], ctermbg = cterm[i] })
  end
  api.nvim_set_hl(0, 'RefractHeatValue', { default = true, link = 'Comment' })
end

--- Bucket 1..n of a value between lo and hi.
function M.bucket(value, lo, hi, n)
  n = n or 5
  if not (tonumber(lo) and tonumber(hi)) or hi <= lo then
    return math.ceil(n / 2)
  end
  local t = (value - lo) / (hi - lo)
  return math.max(1, math.min(n, math.floor(t * n) + 1))
end

--- Removes the heat map from bufnr. Returns whether one was shown.
function M.clear_heatmap(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  local had = heatmaps[bufnr] ~= nil
  heatmaps[bufnr] = nil
  if api.nvim_buf_is_valid(bufnr) then
    api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
  end
  return had
end

local function render_heatmap(ctx, result)
  local bufnr, enc = ctx.bufnr, ctx.client.offset_encoding
  if not api.nvim_buf_is_valid(bufnr) then
    return finish(ctx, false, result, 'buffer closed')
  end
  api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
  local lo, hi = tonumber(result.min), tonumber(result.max)
  local count = api.nvim_buf_line_count(bufnr)
  for _, s in ipairs(type(result.sentences) == 'table' and result.sentences or {}) do
    local r, value = s.range, tonumber(s.value)
    if type(r) == 'table' and value and r.start.line < count then
      local erow = math.min(r['end'].line, count - 1)
      local mark = {
        end_row = erow,
        end_col = M.to_byte_col(bufnr, { line = erow, character = r['end'].character }, enc),
        hl_group = 'RefractHeat' .. M.bucket(value, lo, hi, 5),
        strict = false,
        priority = 90,
      }
      if M.config.heatmap.virt_text then
        mark.virt_text = { { ('%+.2f'):format(value), 'RefractHeatValue' } }
        mark.virt_text_pos = 'eol'
      end
      pcall(api.nvim_buf_set_extmark, bufnr, M.ns, r.start.line, M.to_byte_col(bufnr, r.start, enc), mark)
    end
  end
  heatmaps[bufnr] = { feature = tostring(result.feature or ctx.feature or '') }
  local label = (result.label and result.label ~= vim.NIL) and (' (' .. tostring(result.label) .. ')') or ''
  if M.config.progress then
    notify(
      ('heat map of %s%s: %.2f … %.2f; `:Refract heatmap` again clears it'):format(
        heatmaps[bufnr].feature,
        label,
        lo or 0,
        hi or 0
      )
    )
  end
  finish(ctx, true, result)
end

-- ---------------------------------------------------------------------------------------------
-- Subcommands: each gets ctx {op, args, bufnr, client, uri, range, on_done}

local handlers = {}

for _, op in ipairs({ 'shorten', 'lengthen', 'sentiment' }) do
  handlers[op] = function(ctx)
    local ok, amount = amount_arg(ctx, ctx.args[1])
    if ok then
      rewrite(ctx, { op = op, amount = amount })
    end
  end
end

function handlers.roundtrip(ctx)
  rewrite(ctx, { op = 'roundtrip' })
end

function handlers.variations(ctx)
  local ok, radius = amount_arg(ctx, ctx.args[1], 'radius')
  if not ok then
    return
  end
  progress(ctx, 'variations')
  exec(ctx, 'refract.variations', { uri = ctx.uri, range = ctx.range, amount = radius }, function(result)
    local candidates = type(result) == 'table' and result.candidates or nil
    if type(candidates) ~= 'table' or #candidates == 0 then
      return fail(ctx, 'no variations came back')
    end
    vim.ui.select(candidates, {
      prompt = 'Refract variations',
      kind = 'refract.variations',
      format_item = function(c)
        return ('%.2f  %s'):format(tonumber(c.score) or 0, tostring(c.text):gsub('\n', ' '))
      end,
    }, function(choice)
      if not choice then
        return finish(ctx, false, nil, 'cancelled')
      end
      local args = { uri = ctx.uri, range = ctx.range, text = choice.text, version = result.version }
      exec(ctx, 'refract.applyText', args, function(applied)
        report_rewrite(ctx, applied, 'variation')
      end)
    end)
  end)
end

function handlers.copy(ctx)
  exec(ctx, 'refract.copyStyle', { uri = ctx.uri, range = ctx.range }, function(result)
    local copied = type(result) == 'table' and result.copied or nil
    notify(copied and ('copied the style of “%s”'):format(tostring(copied)) or 'style copied')
    finish(ctx, true, result)
  end)
end

-- tone/topic [amount] and blend [weight]: refract.pasteStyle with the copied passage. Without a
-- weight, blend leaves `amount` out and the server uses 0.5.
for _, p in ipairs({
  { aspect = 'tone', label = 'paste tone', arg = 'amount' },
  { aspect = 'topic', label = 'paste topic', arg = 'amount' },
  { aspect = 'blend', label = 'blend', arg = 'weight' },
}) do
  handlers[p.aspect] = function(ctx)
    local ok, amount = amount_arg(ctx, ctx.args[1], p.arg)
    if not ok then
      return
    end
    progress(ctx, p.label)
    local args = { uri = ctx.uri, range = ctx.range, aspect = p.aspect, amount = amount }
    exec(ctx, 'refract.pasteStyle', args, function(result)
      report_rewrite(ctx, result, p.label)
    end)
  end
end

--- A path typed by the writer: ~ and $VARS expanded, relative paths taken from the current
--- directory (like :write) rather than from the server's workspace folder.
local function expand_path(path)
  return vim.fn.fnamemodify(vim.fs.normalize(path), ':p')
end

function handlers.save(ctx)
  local function save(path)
    if not path or vim.trim(path) == '' then
      return finish(ctx, false, nil, 'cancelled')
    end
    local args = { uri = ctx.uri, range = ctx.range, path = expand_path(vim.trim(path)) }
    local name = table.concat(ctx.args, ' ', 2)
    if name ~= '' then
      args.name = name
    end
    exec(ctx, 'refract.savePatch', args, function(result)
      notify(('saved style patch %s to %s'):format(tostring(result.name or ''), tostring(result.path or args.path)))
      finish(ctx, true, result)
    end)
  end
  if ctx.args[1] then
    return save(ctx.args[1])
  end
  local root = ctx.client.root_dir or vim.fn.getcwd()
  vim.ui.input({
    prompt = 'Save style patch to: ',
    default = vim.fs.joinpath(root, 'patches') .. '/',
    completion = 'file',
  }, function(input)
    guard(ctx, save, input)
  end)
end

function handlers.patch(ctx)
  local ok, amount = amount_arg(ctx, ctx.args[2])
  if not ok then
    return
  end
  local function apply(path)
    progress(ctx, 'apply patch')
    local args = { uri = ctx.uri, range = ctx.range, path = path, amount = amount }
    exec(ctx, 'refract.applyPatch', args, function(result)
      report_rewrite(ctx, result, 'patch')
    end)
  end
  if ctx.args[1] then
    return apply(expand_path(ctx.args[1]))
  end
  exec(ctx, 'refract.listPatches', vim.empty_dict(), function(result)
    local patches = type(result) == 'table' and result.patches or nil
    if type(patches) ~= 'table' or #patches == 0 then
      return fail(ctx, 'no style patches found (save one with `:Refract save`, or set refract.patchFolders)')
    end
    vim.ui.select(patches, {
      prompt = 'Refract: apply style patch',
      kind = 'refract.patch',
      format_item = function(p)
        local desc = (p.description and p.description ~= vim.NIL and p.description ~= '')
            and (' — ' .. tostring(p.description))
          or ''
        return tostring(p.name or p.path) .. desc
      end,
    }, function(choice)
      if not choice then
        return finish(ctx, false, nil, 'cancelled')
      end
      guard(ctx, apply, choice.path)
    end)
  end)
end

--- Remembers the labels of a refract.features result, for completion after `feature`.
local function remember_labels(result)
  for _, f in ipairs(type(result.features) == 'table' and result.features or {}) do
    if type(f) == 'table' and type(f.label) == 'string' and f.label ~= '' then
      seen_labels[f.label] = true
    end
  end
end

function handlers.features(ctx)
  progress(ctx, 'features')
  exec(ctx, 'refract.features', { uri = ctx.uri, range = ctx.range }, function(result)
    if type(result) ~= 'table' then
      return fail(ctx, 'unexpected answer from the server: ' .. vim.inspect(result))
    end
    remember_labels(result)
    local buf, win = show_markdown(ctx, features_markdown(result), 'features')
    finish(ctx, true, vim.tbl_extend('force', result, { buf = buf, win = win }))
  end)
end

--- Arguments of `feature [label-or-id] [value]` as typed: labels may hold spaces and slashes
--- ("concert / band"), so a numeric last argument is the value and the words before it, joined
--- with single spaces, are the label; otherwise every argument is part of the label.
--- Returns label (nil when none was given) and value (a string, nil when none was given).
function M.parse_feature_args(args)
  local words = vim.deepcopy(args or {})
  local value
  if #words > 0 and tonumber(words[#words]) then
    value = table.remove(words)
  end
  local label = vim.trim(table.concat(words, ' '))
  return label ~= '' and label or nil, value
end

function handlers.feature(ctx)
  local label, value = M.parse_feature_args(ctx.args)
  local ok, amount = amount_arg(ctx, value, 'value')
  if not ok then
    return
  end
  local function set(feature)
    rewrite(ctx, { op = 'feature', feature = feature, amount = amount or 1 })
  end
  if label then
    return set(label)
  end
  progress(ctx, 'features')
  exec(ctx, 'refract.features', { uri = ctx.uri, range = ctx.range }, function(result)
    local features = type(result) == 'table' and result.features or nil
    if type(features) ~= 'table' or #features == 0 then
      return fail(ctx, 'no labelled feature stands out in the selection; name one: `:Refract feature {label} [value]`')
    end
    remember_labels(result)
    vim.ui.select(features, {
      prompt = ('Refract: set feature (value %s)'):format(amount or 1),
      kind = 'refract.feature',
      format_item = function(f)
        return ('%s  %.2f'):format(tostring(f.label or f.id), tonumber(f.value) or 0)
      end,
    }, function(choice)
      if not choice then
        return finish(ctx, false, nil, 'cancelled')
      end
      local picked = (type(choice.label) == 'string' and choice.label ~= '') and choice.label or tostring(choice.id)
      guard(ctx, set, picked)
    end)
  end)
end

function handlers.heatmap(ctx)
  local feature = ctx.args[1]
  local shown = heatmaps[ctx.bufnr]
  if shown and (feature == nil or feature == shown.feature) then
    M.clear_heatmap(ctx.bufnr)
    if M.config.progress then
      notify('heat map cleared')
    end
    return finish(ctx, true, { cleared = true })
  end
  ctx.feature = feature
  progress(ctx, 'heat map')
  exec(ctx, 'refract.heatmap', { uri = ctx.uri, feature = feature }, function(result)
    if type(result) ~= 'table' then
      return fail(ctx, 'unexpected answer from the server: ' .. vim.inspect(result))
    end
    render_heatmap(ctx, result)
  end)
end

-- ---------------------------------------------------------------------------------------------
-- Entry points

--- Runs a subcommand.
---@param op string one of M.subcommands
---@param args? string[] the subcommand's arguments (strings, as typed)
---@param opts? {bufnr?: integer, line1?: integer, line2?: integer, range?: integer, visual?: boolean,
---             bytes?: integer[], on_done?: fun(data: table)}
--- `bytes` = {srow, scol, erow, ecol} (0-based, end exclusive) targets an exact span; `visual`
--- uses the last visual selection; otherwise lines line1..line2 (default: the cursor line).
function M.run(op, args, opts)
  opts = opts or {}
  local ctx = { op = op, args = args or {}, on_done = opts.on_done }
  guard(ctx, function()
    ctx.bufnr = (opts.bufnr == nil or opts.bufnr == 0) and api.nvim_get_current_buf() or opts.bufnr
    if not op or op == '' then
      return fail(ctx, 'usage: :Refract {' .. table.concat(M.subcommands, '|') .. '} [argument]')
    end
    local handler = handlers[op]
    if not handler then
      return fail(ctx, ('unknown subcommand %q; choose one of: %s'):format(op, table.concat(M.subcommands, ', ')))
    end
    ctx.client = M.get_client(ctx.bufnr)
    if not ctx.client then
      return fail(
        ctx,
        ('no Refract client attached to this buffer (filetype %q); see :checkhealth refract'):format(
          vim.bo[ctx.bufnr].filetype
        )
      )
    end
    if not ctx.client.initialized then
      return fail(ctx, 'the Refract server is still starting; try again in a moment', levels.WARN)
    end
    ctx.uri = vim.uri_from_bufnr(ctx.bufnr)
    local bytes = opts.bytes
    if not bytes then
      if opts.visual then
        bytes = visual_bytes(ctx.bufnr)
      else
        local cursor = api.nvim_win_get_cursor(0)[1]
        bytes = line_bytes(ctx.bufnr, opts.line1 or cursor, opts.line2 or opts.line1 or cursor)
      end
    end
    ctx.bytes = bytes
    ctx.range = lsp_range(ctx.bufnr, bytes, ctx.client.offset_encoding)
    handler(ctx)
  end)
end

--- The `:Refract` command callback.
function M.command(cmd)
  local bufnr = api.nvim_get_current_buf()
  local fargs = vim.deepcopy(cmd.fargs)
  local op = table.remove(fargs, 1)
  local ok, visual = pcall(from_visual, bufnr, cmd)
  M.run(op, fargs, { bufnr = bufnr, line1 = cmd.line1, line2 = cmd.line2, visual = ok and visual })
end

--- Completion for `:Refract`: subcommands, then axis names (heatmap), file names (save, patch) or
--- the feature labels the server has shown this session (feature).
function M.complete(arglead, cmdline, cursorpos)
  local before = cmdline:sub(1, cursorpos)
  local words = vim.split(vim.trim(before), '%s+')
  local index = #words + (before:match('%s$') and 1 or 0) -- 2 = subcommand, 3 = its argument
  if index <= 2 then
    return vim.tbl_filter(function(s)
      return vim.startswith(s, arglead)
    end, M.subcommands)
  end
  local op = words[2]
  if index == 3 and op == 'heatmap' then
    return vim.tbl_filter(function(s)
      return vim.startswith(s, arglead)
    end, M.axes)
  elseif index == 3 and (op == 'save' or op == 'patch') then
    return vim.fn.getcompletion(arglead, 'file')
  elseif index == 3 and op == 'feature' then
    local labels = vim.tbl_filter(function(s)
      return vim.startswith(s:lower(), arglead:lower())
    end, vim.tbl_keys(seen_labels))
    table.sort(labels)
    return labels
  end
  return {}
end

local function set_keymaps(bufnr)
  local maps = M.config.keymaps
  if maps == true then
    maps = M.default_keymaps
  end
  if type(maps) ~= 'table' then
    return
  end
  for lhs, sub in pairs(maps) do
    local desc = 'Refract ' .. sub
    vim.keymap.set('n', lhs, '<Cmd>Refract ' .. sub .. '<CR>', { buffer = bufnr, desc = desc })
    vim.keymap.set('x', lhs, ':Refract ' .. sub .. '<CR>', { buffer = bufnr, silent = true, desc = desc })
  end
end

--- The table lsp/refract.lua returns (the LSP defaults), read from this plugin's own folder.
local function base_config()
  local here = debug.getinfo(1, 'S').source:gsub('^@', '')
  local file = vim.fs.joinpath(vim.fs.dirname(vim.fs.dirname(vim.fs.dirname(here))), 'lsp', 'refract.lua')
  local ok, cfg = pcall(dofile, file)
  if ok and type(cfg) == 'table' then
    return cfg
  end
  return { -- fallback, same as lsp/refract.lua
    cmd = { 'refract', 'serve' },
    filetypes = { 'markdown', 'text', 'gitcommit', 'mail', 'rst', 'tex' },
    root_markers = { '.git', 'pyproject.toml', 'patches' },
    settings = {
      refract = {
        codec = 'embedded',
        samples = 4,
        corrections = 12,
        variations = 8,
        sentenceSeconds = 1.4,
        patchFolders = {},
        hover = { enabled = true },
        heatmap = { feature = 'sentiment' },
      },
    },
  }
end

--- Configures and enables the language server and defines `:Refract`.
---@param opts? {cmd?: string[], filetypes?: string[], root_markers?: string[], settings?: table,
---             keymaps?: boolean|table<string,string>, progress?: boolean, enable?: boolean,
---             features?: {window?: 'float'|'split'}, heatmap?: {virt_text?: boolean}}
function M.setup(opts)
  opts = opts or {}
  if vim.fn.has('nvim-0.11') == 0 then
    vim.notify('Refract needs Neovim 0.11 or newer', levels.ERROR)
    return
  end
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), {
    keymaps = opts.keymaps,
    progress = opts.progress,
    features = opts.features,
    heatmap = opts.heatmap,
  })

  local base = base_config()
  local settings = opts.settings
  if type(settings) == 'table' and settings.refract == nil then
    settings = { refract = settings } -- accept the section's contents as well
  end
  local lsp_config = {
    cmd = opts.cmd or base.cmd,
    filetypes = opts.filetypes or base.filetypes,
    root_markers = opts.root_markers or base.root_markers,
    settings = vim.tbl_deep_extend('force', base.settings or {}, settings or {}),
  }
  vim.lsp.config(M.name, lsp_config)
  if opts.enable ~= false then
    vim.lsp.enable(M.name)
  end
  -- Running servers pick up new settings at once (they re-read the section on this notification).
  for _, client in ipairs(vim.lsp.get_clients({ name = M.name })) do
    client.settings = lsp_config.settings
    client:notify('workspace/didChangeConfiguration', { settings = lsp_config.settings })
  end

  M.define_highlights()
  local group = api.nvim_create_augroup('refract', { clear = true })
  api.nvim_create_autocmd('ColorScheme', { group = group, callback = M.define_highlights })
  api.nvim_create_autocmd('LspAttach', {
    group = group,
    callback = function(ev)
      local client = vim.lsp.get_client_by_id(ev.data.client_id)
      if client and client.name == M.name then
        set_keymaps(ev.buf)
      end
    end,
  })
  api.nvim_create_autocmd('BufWipeout', {
    group = group,
    callback = function(ev)
      heatmaps[ev.buf] = nil
    end,
  })

  api.nvim_create_user_command('Refract', M.command, {
    nargs = '*',
    range = true,
    complete = M.complete,
    desc = 'Refract: rewrite the selection or lines (:Refract {subcommand} [argument])',
  })
end

return M
